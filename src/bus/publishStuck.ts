/**
 * A publisher's stuck change: one the bus refuses as it is (larger than its max_payload), which
 * holds up every change behind it. It is reported once when it sticks and once when it goes
 * through, and tried again ever more slowly in between, so a stuck region costs next to nothing.
 */
import type { PayloadTooLargeError } from './wireLimits.js';

/** A change that cannot be published as things are, and since when. */
export interface PublisherStuck {
  lsn: number;
  reason: 'payload-too-large';
  message: string;
  /** True time (ms) of the first failed attempt. */
  sinceMs: number;
  payloadBytes: number;
  maxPayloadBytes: number;
}

export type StuckListener = (stuck: PublisherStuck | undefined, previous: PublisherStuck | undefined) => void;

export class StuckChange {
  private state: PublisherStuck | undefined;
  /** The stuck change's message, kept so each attempt does not encode it again. */
  private payload: { lsn: number; bytes: Uint8Array } | undefined;
  private delayMs = 0;

  constructor(private readonly firstDelayMs: number, private readonly maxDelayMs: number, private readonly listener: StuckListener = () => undefined) {}

  get current(): PublisherStuck | undefined {
    return this.state;
  }

  /** The message kept for `lsn`, if that is the stuck change's. */
  payloadOf(lsn: number): Uint8Array | undefined {
    return this.payload?.lsn === lsn ? this.payload.bytes : undefined;
  }

  keepPayload(lsn: number, bytes: Uint8Array): void {
    this.payload = { lsn, bytes };
  }

  /** A refused attempt; returns how long to wait before the next. */
  refused(error: PayloadTooLargeError, nowMs: number): number {
    const previous = this.state;
    const same = previous?.lsn === error.lsn;
    this.delayMs = same ? Math.min(this.delayMs * 2, this.maxDelayMs) : this.firstDelayMs;
    this.state = {
      lsn: error.lsn,
      reason: 'payload-too-large',
      message: error.message,
      sinceMs: same ? previous.sinceMs : nowMs,
      payloadBytes: error.payloadBytes,
      maxPayloadBytes: error.maxPayloadBytes,
    };
    if (!same) this.listener(this.state, previous);
    return this.delayMs;
  }

  /** The stream now holds everything up to `publishedLsn`. */
  published(publishedLsn: number): void {
    if (!this.state || publishedLsn < this.state.lsn) return;
    const previous = this.state;
    this.state = undefined;
    this.payload = undefined;
    this.listener(undefined, previous);
  }
}
