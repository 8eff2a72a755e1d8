/**
 * The ChangeBus seam in memory, for the deterministic simulator and fast tests: one ordered stream,
 * the same guarantees as JetStream gives the publisher (a publish must follow its predecessor;
 * a message id seen before is a duplicate, not a second copy). The simulated consumer side
 * (src/sim/changeSource.ts) watches it: appends, plain status messages, and the bus going down.
 */
import { WrongLastSequenceError, type ChangeBus, type PublishResult } from './changeBus.js';

export class BusUnavailableError extends Error {
  constructor() {
    super('the bus is down');
    this.name = 'BusUnavailableError';
  }
}

/** What a nats-server answers to a publish over its max_payload. */
export class PayloadRefusedError extends Error {
  constructor(size: number, max: number) {
    super(`a message of ${size} bytes is over the limit of ${max}`);
    this.name = 'PayloadRefusedError';
  }
}

export interface StoredMessage {
  seq: number;
  subject: string;
  msgId: string;
  payload: Uint8Array;
}

type Listener<T extends unknown[]> = (...args: T) => void;

/** Listeners that can leave; each call gets a function that removes it. */
class Listeners<T extends unknown[]> {
  private readonly all = new Set<Listener<T>>();

  add(listener: Listener<T>): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  emit(...args: T): void {
    for (const listener of [...this.all]) listener(...args);
  }
}

export class MemoryChangeBus implements ChangeBus {
  /** The messages the stream still holds: sequences firstSequence()..lastSeq, in order. */
  private readonly stored: StoredMessage[] = [];
  private readonly seqById = new Map<string, number>();
  private lastSeq = 0;
  private isDown = false;
  private readonly appended = new Listeners<[StoredMessage]>();
  private readonly statuses = new Listeners<[string, Uint8Array]>();
  private readonly availability = new Listeners<[boolean]>();
  /** Like a nats-server's max_payload: a larger publish is refused. */
  maxPayloadBytes: number | undefined;

  /** A fault: while down, every call fails as a disconnected client's would. */
  get down(): boolean {
    return this.isDown;
  }

  set down(down: boolean) {
    if (down === this.isDown) return;
    this.isDown = down;
    this.availability.emit(!down);
  }

  async ensureStream(): Promise<void> {
    this.check();
  }

  async publish(subject: string, seq: number, msgId: string, payload: Uint8Array): Promise<PublishResult> {
    this.check();
    if (this.maxPayloadBytes !== undefined && payload.length > this.maxPayloadBytes) throw new PayloadRefusedError(payload.length, this.maxPayloadBytes);
    const seen = this.seqById.get(msgId);
    if (seen !== undefined) return { seq: seen, duplicate: true };
    if (seq - 1 !== this.lastSeq) throw new WrongLastSequenceError(seq - 1, this.lastSeq);
    const message = { seq, subject, msgId, payload };
    this.stored.push(message);
    this.seqById.set(msgId, seq);
    this.lastSeq = seq;
    this.appended.emit(message);
    return { seq, duplicate: false };
  }

  async lastMessage(): Promise<{ seq: number; payload?: Uint8Array }> {
    this.check();
    const last = this.message(this.lastSeq);
    return { seq: this.lastSeq, ...(last ? { payload: last.payload } : {}) };
  }

  /** The first sequence the stream holds; lastSeq + 1 when it holds none (as JetStream reports a purged stream). */
  firstSequence(): number {
    return this.stored[0]?.seq ?? this.lastSeq + 1;
  }

  /** The stream's bounds now, as its info reports them (whether the bus is up or not: the stream is still there). */
  bounds(): { firstSeq: number; lastSeq: number } {
    return { firstSeq: this.firstSequence(), lastSeq: this.lastSeq };
  }

  maxMessageBytes(): number | undefined {
    return this.maxPayloadBytes;
  }

  publishStatus(subject: string, payload: Uint8Array): void {
    this.check();
    this.statuses.emit(subject, payload);
  }

  /** What the stream holds, in order (what a consumer would read). */
  messages(): readonly StoredMessage[] {
    return this.stored;
  }

  /** The message at a sequence, if the stream still holds it. */
  message(seq: number): StoredMessage | undefined {
    const first = this.stored[0]?.seq;
    return first === undefined ? undefined : this.stored[seq - first];
  }

  /**
   * Drops every message up to uptoSeq, as JetStream's max-age and limits do: the first sequence
   * moves up, the last stays. Their ids are forgotten with them.
   */
  trim(uptoSeq: number): void {
    const count = Math.min(this.stored.length, Math.max(0, uptoSeq - this.firstSequence() + 1));
    for (const message of this.stored.splice(0, count)) this.seqById.delete(message.msgId);
  }

  /** Calls listener with each message the stream stores from now on. */
  onAppend(listener: (message: StoredMessage) => void): () => void {
    return this.appended.add(listener);
  }

  /** Calls listener with each plain status message (publishStatus) from now on. */
  onStatus(listener: (subject: string, payload: Uint8Array) => void): () => void {
    return this.statuses.add(listener);
  }

  /** Calls listener each time the bus goes down (false) or comes up again (true). */
  onAvailability(listener: (up: boolean) => void): () => void {
    return this.availability.add(listener);
  }

  async close(): Promise<void> {}

  private check(): void {
    if (this.isDown) throw new BusUnavailableError();
  }
}
