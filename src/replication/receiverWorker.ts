/**
 * The receiving half of a replicator, on a worker thread: the connection to the source's
 * nats-server (through the link), the ordered push consumer and the decoding of every change
 * (bus/wireDecode.ts) run beside the region's main thread, which only merges and writes. The
 * worker also encodes the records the region stores for each change (incoming.ts), so that thread
 * copies bytes instead of encoding them. A batch crosses as one msgpack buffer. The source's
 * heartbeat (bus/heartbeat.ts) is heard on the same connection and passed on as it comes.
 */
import { parentPort } from 'node:worker_threads';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import '../bus/natsRequestPatch.js';
import { heartbeatSubject, parseHeartbeat } from '../bus/heartbeat.js';
import { streamName } from '../bus/wire.js';
import { APPLIED, BATCH_MAX_BYTES, batchCount, packBatch, receive, WAITING, type Received, type ToReceiver, type FromReceiver } from './receiverProtocol.js';

const port = parentPort!;
const post = (message: FromReceiver, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

class TrimmedSinceOpenError extends Error {
  constructor(startSeq: number) {
    super(`the source's stream no longer holds ${startSeq} (trimmed after the session opened)`);
    this.name = 'TrimmedSinceOpenError';
  }
}

class Session {
  private connection: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  /** Decoded as they come, with where each was in the stream. */
  private received: { info: JsMsg['info']; message: Received }[] = [];
  /** The received changes and bytes, summed. */
  private receivedChanges = 0;
  private receivedBytes = 0;
  private closed = false;
  private flushQueued = false;
  private creditWaiter: (() => void) | undefined;
  /** Batches sent to the main thread in this session. */
  private sent = 0;

  constructor(readonly id: number, private readonly source: string, private readonly batchesInFlight: number, private readonly credits: Int32Array, private readonly batchMax: number) {}

  async open(natsUrl: string): Promise<void> {
    // Frequent pings make a stalled link visible within seconds; reconnects never give up.
    const connection = await connect({
      servers: natsUrl, pingInterval: 1000, maxPingOut: 2, maxReconnectAttempts: -1, reconnectTimeWait: 100, reconnectJitter: 50, waitOnFirstConnect: true, timeout: 2000, noAsyncTraces: true,
    });
    this.connection = connection;
    if (this.closed) {
      this.close();
      throw new Error('closed while connecting');
    }
    void this.watchStatus(connection);
    connection.subscribe(heartbeatSubject(this.source), {
      callback: (error, message) => {
        const heartbeat = error ? undefined : parseHeartbeat(message.data);
        if (heartbeat && !this.closed) post({ type: 'heartbeat', session: this.id, heartbeat });
      },
    });
    const info = await (await jetstreamManager(connection)).streams.info(streamName(this.source));
    post({ type: 'opened', session: this.id, firstSeq: info.state.first_seq, lastSeq: info.state.last_seq });
  }

  /**
   * A lost connection ends the session: the next one starts from the position and first checks
   * that the source still holds it (while disconnected, the source may have trimmed changes, and
   * a consumer that resumed on its own would silently skip them).
   */
  private async watchStatus(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect' || status.type === 'staleConnection') return this.close();
    }
  }

  async consume(startSeq: number): Promise<void> {
    const stream = streamName(this.source);
    // An ordered push consumer: the server sends each change as it is stored (with flow control),
    // where a pull consumer can leave one waiting until its pull request expires and is renewed.
    const consumer = await jetstream(this.connection!).consumers.getPushConsumer(stream, {
      filter_subjects: `chg.${this.source}.${this.source}.>`,
      opt_start_seq: startSeq,
    });
    this.messages = await consumer.consume();
    if (this.closed) return this.close();
    let startConfirmed = false;
    for await (const m of this.messages) {
      if (!startConfirmed) {
        startConfirmed = true;
        // Skipped sequences after the start are another origin's changes (filtered out), or were
        // trimmed since the session saw the stream's bounds, which a consumer passes over without a
        // word. The stream's first sequence now tells which; trimmed ends the session, and the next
        // one's look at the bounds resyncs. Nothing is handed on before this is known.
        if (m.info.streamSequence > startSeq && (await this.firstSeq()) > startSeq) throw new TrimmedSinceOpenError(startSeq);
      }
      const message = receive(m.data);
      this.received.push({ info: m.info, message });
      this.receivedChanges += message.changes.length;
      this.receivedBytes += message.bytes;
      if (this.receivedChanges >= this.batchMax || this.receivedBytes >= BATCH_MAX_BYTES) this.flush();
      else if (!this.flushQueued) {
        // Let the rest of this network read arrive, so one batch takes it all.
        this.flushQueued = true;
        setImmediate(() => { this.flushQueued = false; this.flush(); });
      }
      // Beyond a few batches the consumer waits, and the server's flow control holds the rest.
      while ((this.receivedChanges >= this.batchMax * 2 || this.receivedBytes >= BATCH_MAX_BYTES * 2) && !this.closed) await new Promise<void>((resolve) => { this.creditWaiter = resolve; });
      if (this.closed) break;
    }
  }

  /** Sends what has been received, in batches, as long as the main thread has room. */
  flush(): void {
    while (this.received.length && !this.closed) {
      if (!this.hasRoom()) {
        // Ask to be woken, then look again: a batch applied in between would not wake us.
        Atomics.store(this.credits, WAITING, 1);
        if (!this.hasRoom()) break;
        Atomics.store(this.credits, WAITING, 0);
      }
      const batch = this.received.splice(0, batchCount(this.received.map((r) => r.message), this.batchMax));
      for (const { message } of batch) {
        this.receivedChanges -= message.changes.length;
        this.receivedBytes -= message.bytes;
      }
      const last = batch[batch.length - 1];
      // The newest message's count is the latest word on what the server still holds; the ones
      // received after this batch are on top of it (an older message's count includes them).
      const newest = this.received.at(-1)?.info ?? last.info;
      const { data, records } = packBatch(batch.map((r) => r.message));
      this.sent += 1;
      const { ownCount } = last.message;
      post({
        type: 'batch', session: this.id, data, records, lastSeq: last.info.streamSequence, pending: newest.pending + this.received.length, ...(ownCount === undefined ? {} : { ownCount }),
      }, [data.buffer as ArrayBuffer, records.buffer as ArrayBuffer]);
    }
    this.wake();
  }

  private hasRoom(): boolean {
    return this.sent - Atomics.load(this.credits, APPLIED) < this.batchesInFlight;
  }

  private wake(): void {
    const waiter = this.creditWaiter;
    this.creditWaiter = undefined;
    waiter?.();
  }

  private async firstSeq(): Promise<number> {
    return (await (await jetstreamManager(this.connection!)).streams.info(streamName(this.source))).state.first_seq;
  }

  close(): void {
    this.closed = true;
    this.wake();
    void this.messages?.close().catch(() => undefined);
    void this.connection?.close().catch(() => undefined);
  }
}

let current: Session | undefined;

async function run(session: Session, natsUrl: string): Promise<void> {
  try {
    await session.open(natsUrl);
  } catch (error) {
    session.close();
    post({ type: 'ended', session: session.id, error: (error as Error).message ?? String(error) });
  }
}

async function consume(session: Session, startSeq: number): Promise<void> {
  let error: string | undefined;
  try {
    await session.consume(startSeq);
  } catch (failure) {
    error = (failure as Error).message ?? String(failure);
  }
  session.close();
  post({ type: 'ended', session: session.id, ...(error === undefined ? {} : { error }) });
}

port.on('message', (message: ToReceiver) => {
  switch (message.type) {
    case 'open':
      current?.close();
      current = new Session(message.session, message.source, message.batchesInFlight, message.credits, message.batchMax);
      void run(current, message.natsUrl);
      break;
    case 'consume':
      if (current?.id === message.session) void consume(current, message.startSeq);
      break;
    case 'credit':
      if (current?.id === message.session) current.flush();
      break;
    case 'close':
      if (current?.id === message.session) current.close();
      break;
  }
});
