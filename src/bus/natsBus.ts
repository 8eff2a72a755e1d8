/** ChangeBus on NATS JetStream: stream CHANGES_<region>, file storage, 24 h retention, msgID dedupe. */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import './natsRequestPatch.js';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { ChangeBus, PublishResult } from './changeBus.js';
import { streamName } from './wire.js';

const NANOS_PER_MS = 1_000_000;
const RETENTION_MS = 24 * 60 * 60 * 1000;
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

export interface NatsBusOptions {
  url: string;
  region: string;
  publishTimeoutMs?: number;
}

export class NatsChangeBus implements ChangeBus {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: NatsBusOptions,
  ) {}

  static async connect(options: NatsBusOptions): Promise<NatsChangeBus> {
    // Frequent pings make a dead server visible within seconds; reconnects never give up. Without
    // async traces nats.js does not build an error object up front for every request, which was the
    // largest single cost of publishing.
    const connection = await connect({ servers: options.url, pingInterval: 1000, maxPingOut: 2, maxReconnectAttempts: -1, reconnectTimeWait: 250, noAsyncTraces: true });
    return new NatsChangeBus(connection, jetstream(connection, { timeout: options.publishTimeoutMs ?? 5000 }), await jetstreamManager(connection), options);
  }

  get stream(): string {
    return streamName(this.options.region);
  }

  async ensureStream(): Promise<void> {
    try {
      await this.jsm.streams.info(this.stream);
    } catch {
      await this.jsm.streams.add({
        name: this.stream,
        subjects: [`chg.${this.options.region}.>`],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        max_age: RETENTION_MS * NANOS_PER_MS,
        duplicate_window: DUPLICATE_WINDOW_MS * NANOS_PER_MS,
      });
    }
  }

  async publish(subject: string, seq: number, msgId: string, payload: Uint8Array): Promise<PublishResult> {
    const ack = await this.js.publish(subject, payload, { msgID: msgId, expect: { lastSequence: seq - 1, streamName: this.stream } });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }

  async lastSequence(): Promise<number> {
    const info = await this.jsm.streams.info(this.stream);
    return info.state.last_seq;
  }

  async close(): Promise<void> {
    await this.connection.drain().catch(() => this.connection.close());
  }
}
