/**
 * One directed link of the simulated network, on virtual time. As the Link seam it behaves like
 * the TCP proxy: latency one way, jitter that keeps order, a stall that holds everything in order
 * until released, a reset that drops what is in flight. Beyond it, per message: loss, duplication
 * and reordering, and a message whose sender or receiver went down (or restarted) is dropped.
 *
 * Each message is delivered by its own scheduler event, so the receiver's async work for one
 * message settles before the next arrives, as with separate network reads.
 */
import { type Link, type LinkSettings, type LinkStats } from '../nats/link.js';
import { HEALTHY_FAULTS, updatedFaults, type LinkFaults } from './linkFaults.js';
import type { SimRandom } from './random.js';
import type { SimScheduler } from './scheduler.js';

/** What a link needs of its network: whether its ends are up, and whom to tell of a delivery. */
export interface LinkEnds {
  /** The node's current incarnation (it changes at each crash), or undefined while it is down. */
  incarnation(node: string): number | undefined;
  delivered(from: string, to: string, bytes: number): void;
}

/** Message counts: every send is delivered, lost (random loss), dropped (an end down, a reset, a closed link), or still held. */
/** `reordered`: messages queued to arrive ahead of one sent before them. */
export interface SimLinkCounts { sent: number; delivered: number; lost: number; duplicated: number; dropped: number; reordered: number }

interface InFlight {
  atMs: number;
  seq: number;
  bytes: number;
  deliver: () => void;
  fromIncarnation: number;
  toIncarnation: number;
}

/** The copy of a duplicated message arrives at least this much after the original. */
const DUPLICATE_GAP_MS = 1;
/** An exponential jitter draw is capped at this many means: a long tail, never an endless wait. */
const EXPONENTIAL_CAP_MEANS = 20;

export class SimLink implements Link {
  readonly name: string;
  private current: LinkFaults = { ...HEALTHY_FAULTS };
  /** Sorted by (atMs, seq): the order of delivery. */
  private queue: InFlight[] = [];
  private seq = 0;
  /** The latest delivery time given to an in-order message: later ones never arrive before it. */
  private fifoFloorMs = Number.NEGATIVE_INFINITY;
  private armedAtMs: number | undefined;
  private cancelArmed: (() => void) | undefined;
  private closed = false;
  private readonly counters: LinkStats = { connections: 1, openConnections: 1, bytesUpstream: 0, bytesDownstream: 0, resets: 0, heldBytes: 0 };
  private readonly messageCounts: SimLinkCounts = { sent: 0, delivered: 0, lost: 0, duplicated: 0, dropped: 0, reordered: 0 };

  constructor(
    readonly from: string,
    readonly to: string,
    private readonly scheduler: SimScheduler,
    private readonly random: SimRandom,
    private readonly ends: LinkEnds,
  ) {
    this.name = `${from}->${to}`;
  }

  get settings(): LinkSettings {
    const { latencyMs, jitterMs, stalled } = this.current;
    return { latencyMs, jitterMs, stalled };
  }

  get faults(): LinkFaults {
    return { ...this.current };
  }

  /** Carries one message of `bytes` bytes; deliver runs on arrival (never, or twice, as the faults say). */
  send(bytes: number, deliver: () => void): void {
    this.messageCounts.sent += 1;
    const fromIncarnation = this.ends.incarnation(this.from);
    const toIncarnation = this.ends.incarnation(this.to);
    if (this.closed || fromIncarnation === undefined || toIncarnation === undefined) return void (this.messageCounts.dropped += 1);
    const faults = this.current;
    // Each draw happens only when its fault is on, so a healthy link consumes no randomness.
    if (faults.lossRate > 0 && this.random.chance(faults.lossRate)) return void (this.messageCounts.lost += 1);
    let atMs = this.scheduler.nowMs + faults.latencyMs + this.jitterMs();
    if (!(faults.reorderRate > 0 && this.random.chance(faults.reorderRate))) {
      atMs = Math.max(atMs, this.fifoFloorMs);
      this.fifoFloorMs = atMs;
    }
    this.enqueue({ atMs, seq: this.seq++, bytes, deliver, fromIncarnation, toIncarnation });
    if (faults.duplicateRate > 0 && this.random.chance(faults.duplicateRate)) {
      this.messageCounts.duplicated += 1;
      this.enqueue({ atMs: atMs + DUPLICATE_GAP_MS + this.jitterMs(), seq: this.seq++, bytes, deliver, fromIncarnation, toIncarnation });
    }
  }

  update(settings: Partial<LinkSettings>): LinkSettings {
    this.setFaults(pickSettings(settings));
    return this.settings;
  }

  /** Changes some faults; throws LinkSettingsError (changing nothing) for an invalid value. */
  setFaults(faults: Partial<LinkFaults>): LinkFaults {
    this.current = updatedFaults(this.name, this.current, faults);
    this.arm();
    return this.faults;
  }

  reset(): void {
    this.counters.resets += 1;
    this.messageCounts.dropped += this.queue.length;
    this.queue = [];
    this.counters.heldBytes = 0;
    this.arm();
  }

  /** Every fault cleared; what was held or delayed is due now, still in order. */
  heal(): LinkSettings {
    this.current = { ...HEALTHY_FAULTS };
    const nowMs = this.scheduler.nowMs;
    for (const entry of this.queue) entry.atMs = Math.min(entry.atMs, nowMs);
    this.fifoFloorMs = Math.min(this.fifoFloorMs, nowMs);
    this.armedAtMs = undefined;
    this.arm();
    return this.settings;
  }

  stats(): LinkStats {
    return { ...this.counters };
  }

  counts(): SimLinkCounts {
    return { ...this.messageCounts };
  }

  async close(): Promise<void> {
    this.reset();
    this.closed = true;
    this.counters.openConnections = 0;
  }

  private jitterMs(): number {
    const { jitterMs, jitter } = this.current;
    if (jitterMs === 0) return 0;
    if (jitter === 'uniform') return this.random.uniform(0, jitterMs);
    return Math.min(this.random.exponential(jitterMs), jitterMs * EXPONENTIAL_CAP_MEANS);
  }

  private enqueue(entry: InFlight): void {
    const queue = this.queue;
    let index = queue.length;
    // In-order traffic appends; only a reordered message or a duplicate searches for its place.
    if (index > 0 && queue[index - 1].atMs > entry.atMs) {
      let low = 0;
      while (low < index) {
        const middle = (low + index) >> 1;
        if (queue[middle].atMs <= entry.atMs) low = middle + 1;
        else index = middle;
      }
    }
    if (index < queue.length && queue[index].seq < entry.seq) this.messageCounts.reordered += 1;
    queue.splice(index, 0, entry);
    this.counters.heldBytes += entry.bytes;
    this.arm();
  }

  /** Keeps one timer, for the head of the queue; none while stalled or empty. */
  private arm(): void {
    const head = this.queue[0];
    if (!head || this.current.stalled) {
      this.cancelArmed?.();
      this.cancelArmed = this.armedAtMs = undefined;
      return;
    }
    if (this.armedAtMs !== undefined && this.armedAtMs <= head.atMs) return;
    this.cancelArmed?.();
    this.armedAtMs = head.atMs;
    this.cancelArmed = this.scheduler.schedule(head.atMs - this.scheduler.nowMs, () => this.deliverHead());
  }

  /** One message per event; the next due one gets its own event. */
  private deliverHead(): void {
    this.cancelArmed = this.armedAtMs = undefined;
    const head = this.queue[0];
    if (!head || this.current.stalled) return;
    if (head.atMs > this.scheduler.nowMs) return this.arm();
    this.queue.shift();
    this.counters.heldBytes -= head.bytes;
    this.arm();
    const endsSame = this.ends.incarnation(this.from) === head.fromIncarnation && this.ends.incarnation(this.to) === head.toIncarnation;
    if (!endsSame) return void (this.messageCounts.dropped += 1);
    this.messageCounts.delivered += 1;
    this.counters.bytesDownstream += head.bytes;
    this.ends.delivered(this.from, this.to, head.bytes);
    head.deliver();
  }
}

/** Only the Link seam's own settings: update() must not reach the simulator-only faults. */
function pickSettings({ latencyMs, jitterMs, stalled }: Partial<LinkSettings>): Partial<LinkSettings> {
  return { latencyMs, jitterMs, stalled };
}
