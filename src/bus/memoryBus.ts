/**
 * The ChangeBus seam in memory, for the deterministic simulator and fast tests: one ordered stream,
 * the same guarantees as JetStream gives the publisher (a publish must follow its predecessor;
 * a message id seen before is a duplicate, not a second copy).
 */
import type { ChangeBus, PublishResult } from './changeBus.js';

export class WrongLastSequenceError extends Error {
  constructor(expected: number, actual: number) {
    super(`wrong last sequence: expected ${expected}, the stream holds ${actual}`);
    this.name = 'WrongLastSequenceError';
  }
}

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

export class MemoryChangeBus implements ChangeBus {
  private readonly stored: StoredMessage[] = [];
  private readonly seqById = new Map<string, number>();
  /** A fault: while down, every call fails as a disconnected client's would. */
  down = false;
  /** Like a nats-server's max_payload: a larger publish is refused. */
  maxPayloadBytes: number | undefined;

  async ensureStream(): Promise<void> {
    this.check();
  }

  async publish(subject: string, seq: number, msgId: string, payload: Uint8Array): Promise<PublishResult> {
    this.check();
    if (this.maxPayloadBytes !== undefined && payload.length > this.maxPayloadBytes) throw new PayloadRefusedError(payload.length, this.maxPayloadBytes);
    const seen = this.seqById.get(msgId);
    if (seen !== undefined) return { seq: seen, duplicate: true };
    const last = this.stored.length;
    if (seq - 1 !== last) throw new WrongLastSequenceError(seq - 1, last);
    this.stored.push({ seq, subject, msgId, payload });
    this.seqById.set(msgId, seq);
    return { seq, duplicate: false };
  }

  async lastSequence(): Promise<number> {
    this.check();
    return this.stored.length;
  }

  maxMessageBytes(): number | undefined {
    return this.maxPayloadBytes;
  }

  /** What the stream holds, in order (what a consumer would read). */
  messages(): readonly StoredMessage[] {
    return this.stored;
  }

  async close(): Promise<void> {}

  private check(): void {
    if (this.down) throw new BusUnavailableError();
  }
}
