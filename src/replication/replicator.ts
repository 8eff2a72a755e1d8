/**
 * One replicator per (source → this region): an ordered JetStream consumer on the source's stream,
 * filtered to changes the source's own clients made, from checkpoint + 1. Each batch is merged and
 * the checkpoint advanced in one LMDB transaction, so a crash resumes exactly where it stopped.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { ChangeMessage } from '../bus/wire.js';
import { streamName } from '../bus/wire.js';
import type { RegionContext } from '../dynamo/context.js';
import { applyMessages, type ApplyTally } from './apply.js';
import type { ConflictLog } from './conflicts.js';
import type { PairMetrics } from './metrics.js';

const BATCH_MAX = 1000;
/** Above this many received-but-unapplied messages the consumer waits for the store. */
const QUEUE_HIGH_WATER = 5000;

export const checkpointKey = (source: string): string => `replicator.checkpoint.${source}`;

export interface ReplicatorOptions {
  ctx: RegionContext;
  source: string;
  /** Where to reach the source's nats-server (this region's link proxy for the pair). */
  natsUrl: string;
  conflicts: ConflictLog;
  metrics: PairMetrics;
  /** Rebuilds every table shared with the source from its snapshot; returns the source sequence it reflects. */
  resync(): Promise<number>;
  onApplied?: (tally: ApplyTally) => void;
  onError?: (error: unknown) => void;
  retryDelayMs?: number;
}

/** A received message; its JetStream metadata (sequence, pending) is parsed only for the last of a batch. */
type Received = JsMsg;

export class Replicator {
  private stopped = false;
  private connection: NatsConnection | undefined;
  private running: Promise<void> | undefined;
  private queue: Received[] = [];
  private applying: Promise<void> | undefined;
  private failure: unknown;
  private stop$: () => void = () => {};
  private readonly stopping = new Promise<undefined>((resolve) => { this.stop$ = () => resolve(undefined); });

  constructor(private readonly options: ReplicatorOptions) {}

  get checkpoint(): number {
    return this.options.ctx.store.read((txn) => txn.getMeta<number>(checkpointKey(this.options.source))) ?? 0;
  }

  start(): void {
    this.options.metrics.checkpoint = this.checkpoint;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stop$();
    await this.connection?.close().catch(() => undefined);
    await this.running;
    await this.applying;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.session();
      } catch (error) {
        if (this.stopped) break;
        this.options.onError?.(error);
      } finally {
        this.options.metrics.connected = false;
        await this.connection?.close().catch(() => undefined);
        this.connection = undefined;
        await this.applying?.catch(() => undefined);
        this.queue = [];
        this.failure = undefined;
      }
      if (!this.stopped) await Promise.race([new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 500)), this.stopping]);
    }
  }

  /** One connection's life: catch up from the checkpoint, then follow the stream until something fails. */
  private async session(): Promise<void> {
    const { source, metrics } = this.options;
    // Frequent pings make a stalled link visible within seconds; reconnects never give up.
    const connecting = connect({
      servers: this.options.natsUrl, pingInterval: 1000, maxPingOut: 2, maxReconnectAttempts: -1, reconnectTimeWait: 100, reconnectJitter: 50, waitOnFirstConnect: true, timeout: 2000, noAsyncTraces: true,
    });
    // Waiting for a source that is down must not hold up stop().
    const connection = await Promise.race([connecting, this.stopping]);
    if (!connection) {
      void connecting.then((late) => late.close(), () => undefined);
      return;
    }
    this.connection = connection;
    if (this.stopped) return;
    void this.watchStatus(connection);
    metrics.connected = true;
    const stream = streamName(source);
    const info = await (await jetstreamManager(connection)).streams.info(stream);
    let checkpoint = this.checkpoint;
    // The source trimmed changes this region never applied: rebuild from a snapshot, never skip silently.
    if (info.state.first_seq > checkpoint + 1 && info.state.last_seq > checkpoint) {
      metrics.resyncs += 1;
      checkpoint = await this.options.resync();
    }
    metrics.checkpoint = checkpoint;
    // An ordered push consumer: the server sends each change as it is stored (with flow control),
    // where a pull consumer can leave one waiting until its pull request expires and is renewed.
    const consumer = await jetstream(connection).consumers.getPushConsumer(stream, {
      filter_subjects: `chg.${source}.${source}.>`,
      opt_start_seq: checkpoint + 1,
    });
    const messages = await consumer.consume();
    for await (const m of messages) {
      if (this.failure) throw this.failure;
      this.queue.push(m);
      if (!this.applying) this.applying = this.drain();
      if (this.queue.length >= QUEUE_HIGH_WATER) await this.applying;
      if (this.stopped) break;
    }
    if (this.failure) throw this.failure;
  }

  /**
   * A lost connection ends the session: the next one starts from the checkpoint and first checks
   * that the source still holds it (while disconnected, the source may have trimmed changes, and
   * a consumer that resumed on its own would silently skip them).
   */
  private async watchStatus(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect' || status.type === 'staleConnection') {
        this.options.metrics.connected = false;
        void connection.close().catch(() => undefined);
        return;
      }
    }
  }

  /** Applies queued messages in batches until the queue is empty; one batch per transaction. */
  private async drain(): Promise<void> {
    try {
      // Let the rest of this network read arrive, so one transaction takes it all.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length && !this.failure) {
        const batch = this.queue.splice(0, BATCH_MAX);
        await this.applyBatch(batch);
      }
    } catch (error) {
      this.failure = error;
      // Closing the connection ends the consumer loop, which then restarts from the checkpoint.
      void this.connection?.close().catch(() => undefined);
    } finally {
      this.applying = undefined;
    }
  }

  private async applyBatch(batch: Received[]): Promise<void> {
    const { ctx, source, conflicts, metrics } = this.options;
    const last = batch[batch.length - 1].info;
    const messages = batch.map((m) => m.json<ChangeMessage>());
    const tally = await ctx.store.write((txn) => {
      const result = applyMessages(ctx, txn, conflicts, messages);
      txn.putMeta(checkpointKey(source), last.streamSequence);
      return result;
    });
    const appliedAtMs = ctx.clock.trueNowMs();
    for (const committedAtMs of tally.committedAtMs) metrics.lag.add(Math.max(0, appliedAtMs - committedAtMs));
    metrics.checkpoint = last.streamSequence;
    metrics.pending = last.pending + this.queue.length;
    metrics.applied += tally.applied;
    metrics.skipped += tally.skipped;
    metrics.ignored += tally.ignored;
    metrics.conflicts += tally.conflicts.length;
    metrics.lastAppliedAtMs = appliedAtMs;
    this.options.onApplied?.(tally);
  }
}
