/** ChangeBus on NATS JetStream: stream CHANGES_<region>, file storage, 24 h retention, msgID dedupe. */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import './natsRequestPatch.js';
import { jetstream, JetStreamApiCodes, JetStreamApiError, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { WrongLastSequenceError, type ChangeBus, type PublishResult } from './changeBus.js';
import { streamName } from './wire.js';

const NANOS_PER_MS = 1_000_000;
const RETENTION_MS = 24 * 60 * 60 * 1000;
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
/** A stream's max_msg_size with no limit of its own (the server's max_payload still applies). */
const UNLIMITED = -1;

export interface NatsBusOptions {
  url: string;
  region: string;
  publishTimeoutMs?: number;
}

export class NatsChangeBus implements ChangeBus {
  /** The stream's own limit on a message, when it has one. */
  private streamMaxMessageBytes: number | undefined;

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
    let config;
    try {
      config = (await this.jsm.streams.info(this.stream)).config;
    } catch {
      await this.jsm.streams.add({
        name: this.stream,
        subjects: [`chg.${this.options.region}.>`],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        max_age: RETENTION_MS * NANOS_PER_MS,
        duplicate_window: DUPLICATE_WINDOW_MS * NANOS_PER_MS,
        max_msg_size: UNLIMITED,
      });
      this.streamMaxMessageBytes = undefined;
      return;
    }
    // A stream given a message limit of its own (by hand): lifted, so only
    // max_payload applies. A limit set while the region runs is lifted at the next failed publish.
    if (config.max_msg_size > 0) config = (await this.jsm.streams.update(this.stream, { max_msg_size: UNLIMITED })).config;
    this.streamMaxMessageBytes = config.max_msg_size > 0 ? config.max_msg_size : undefined;
  }

  async publish(subject: string, seq: number, msgId: string, payload: Uint8Array): Promise<PublishResult> {
    try {
      const ack = await this.js.publish(subject, payload, { msgID: msgId, expect: { lastSequence: seq - 1, streamName: this.stream } });
      return { seq: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      // The server's refusal names no number in a field of its own: the stream's last sequence stays unsaid.
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) throw new WrongLastSequenceError(seq - 1, undefined, { cause: error });
      throw error;
    }
  }

  /** The connected server's max_payload (updated on every reconnect), or the stream's limit if smaller. */
  maxMessageBytes(): number | undefined {
    const server = this.connection.info?.max_payload;
    const stream = this.streamMaxMessageBytes;
    if (server === undefined) return stream;
    return stream === undefined ? server : Math.min(server, stream);
  }

  /** A message on a plain NATS subject, not kept by any stream (the region's heartbeat). */
  publishStatus(subject: string, payload: Uint8Array): void {
    this.connection.publish(subject, payload);
  }

  async lastMessage(): Promise<{ seq: number; payload?: Uint8Array }> {
    const { last_seq: seq, messages } = (await this.jsm.streams.info(this.stream)).state;
    if (!seq || !messages) return { seq };
    try {
      const stored = await this.jsm.streams.getMessage(this.stream, { seq });
      return stored ? { seq, payload: stored.data } : { seq };
    } catch (error) {
      // Trimmed between the two requests: the position comes from what the publisher saved.
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) return { seq };
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.connection.drain().catch(() => this.connection.close());
  }
}
