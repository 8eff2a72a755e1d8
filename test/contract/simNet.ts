/**
 * A tiny simulated network for testing simulated seams without the simulator's kernel: every
 * message arrives after a fixed delay on a ManualClock, in order, unless a fault says otherwise.
 */
import type { ManualClock } from '../../src/clock/clock.js';
import type { SimNet } from '../../src/sim/net.js';

export interface SentMessage {
  from: string;
  to: string;
  bytes: number;
}

/** What happens to one message: delivered once, lost, or delivered twice. */
export type Fate = 'deliver' | 'drop' | 'duplicate';

export class TestNet implements SimNet {
  /** Decides each message's fate; every message is delivered once by default. */
  fate: (message: SentMessage) => Fate = () => 'deliver';
  readonly sent: SentMessage[] = [];

  constructor(private readonly clock: ManualClock, readonly latencyMs = 5) {}

  send(from: string, to: string, bytes: number, deliver: () => void): void {
    const message = { from, to, bytes };
    this.sent.push(message);
    const fate = this.fate(message);
    if (fate === 'drop') return;
    this.clock.schedule(deliver, this.latencyMs);
    if (fate === 'duplicate') this.clock.schedule(deliver, this.latencyMs);
  }
}

/** Advances virtual time step by step, letting promise callbacks run in between, until the promise settles. */
export async function settleOnClock<T>(clock: ManualClock, promise: Promise<T>, { stepMs = 10, limitMs = 600_000 } = {}): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => { settled = true; });
  // A rejection is the caller's to see, through the promise returned.
  watched.catch(() => undefined);
  for (let elapsedMs = 0; !settled; elapsedMs += stepMs) {
    if (elapsedMs > limitMs) throw new Error(`nothing settled within ${limitMs} ms of virtual time`);
    await new Promise((resolve) => setImmediate(resolve));
    if (!settled) clock.advance(stepMs);
  }
  return watched;
}
