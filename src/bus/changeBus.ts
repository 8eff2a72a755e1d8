/** The ChangeBus seam, publisher side: an append-only stream per region, one message per group of changes. */

export interface PublishResult {
  /** Stream sequence the message got. */
  seq: number;
  duplicate: boolean;
}

/**
 * A publish that does not directly follow the stream's last sequence (JetStream's "wrong last
 * sequence"): nothing was stored. `actual` is the stream's last sequence when the bus says it.
 */
export class WrongLastSequenceError extends Error {
  constructor(readonly expected: number, readonly actual?: number, options?: { cause?: unknown }) {
    super(`wrong last sequence: expected ${expected}, the stream holds ${actual ?? 'another'}`, options);
    this.name = 'WrongLastSequenceError';
  }
}

/** A message that went in at another sequence than the one expected of it: the stream is read again. */
export class UnexpectedSequenceError extends Error {
  constructor(readonly expected: number, readonly actual: number) {
    super(`a group was stored at sequence ${actual}, expected ${expected}; reading the stream's position again`);
    this.name = 'UnexpectedSequenceError';
  }
}

export interface ChangeBus {
  /** Creates the region's stream if it does not exist yet. */
  ensureStream(): Promise<void>;
  /**
   * Appends a message that must directly follow sequence `seq - 1`, so the stream can never hold
   * changes out of order or with gaps; rejected with WrongLastSequenceError when it would not.
   */
  publish(subject: string, seq: number, msgId: string, payload: Uint8Array): Promise<PublishResult>;
  /**
   * The stream's last sequence (0 when empty) and, while the stream still holds it, that message's
   * payload (what a publisher resuming after a failure reads its position from).
   */
  lastMessage(): Promise<{ seq: number; payload?: Uint8Array }>;
  /**
   * The largest message (payload and headers) the bus accepts now, undefined for no limit. It can
   * change while the bus runs (a nats-server restarted with another max_payload).
   */
  maxMessageBytes(): number | undefined;
  /**
   * A message on a plain subject, kept by no stream (the region's heartbeat): fire and forget, and
   * it may throw while the bus is unreachable.
   */
  publishStatus(subject: string, payload: Uint8Array): void;
  close(): Promise<void>;
}
