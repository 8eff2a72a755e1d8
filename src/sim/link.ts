/**
 * The Link seam simulated: messages instead of bytes, time from a Clock (a ManualClock makes it
 * deterministic), jitter from a seeded random source. Same settings and guarantees as the TCP
 * proxy: order kept, latency one way, a stall holds everything, a reset drops what is in flight.
 */
import type { Clock } from '../clock/clock.js';
import { HEALTHY, updatedSettings, type Link, type LinkSettings, type LinkStats } from '../nats/link.js';

interface InFlight {
  message: Uint8Array;
  deliverAtMs: number;
}

export class SimulatedLink implements Link {
  private current: LinkSettings = { ...HEALTHY };
  private readonly queue: InFlight[] = [];
  private lastDeliverAtMs = 0;
  private cancelTimer: (() => void) | undefined;
  private readonly counters: LinkStats = { connections: 1, openConnections: 1, bytesUpstream: 0, bytesDownstream: 0, resets: 0, heldBytes: 0 };

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    private readonly deliver: (message: Uint8Array) => void,
    private readonly random: () => number,
  ) {}

  get settings(): LinkSettings {
    return { ...this.current };
  }

  /** Sends a message from the source towards the replicator. */
  send(message: Uint8Array): void {
    const { latencyMs, jitterMs } = this.current;
    const nowMs = this.clock.trueNowMs();
    // Never before an earlier message: a link reorders nothing.
    const deliverAtMs = Math.max(nowMs + latencyMs + (jitterMs ? this.random() * jitterMs : 0), this.lastDeliverAtMs);
    this.lastDeliverAtMs = deliverAtMs;
    this.queue.push({ message, deliverAtMs });
    this.counters.heldBytes += message.length;
    this.pump();
  }

  update(settings: Partial<LinkSettings>): LinkSettings {
    this.current = updatedSettings(this.name, this.current, settings);
    this.pump();
    return this.settings;
  }

  reset(): void {
    this.counters.resets += 1;
    this.queue.length = 0;
    this.counters.heldBytes = 0;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  heal(): LinkSettings {
    this.current = { ...HEALTHY };
    // What was held is due now (its latency no longer applies), still in order.
    const nowMs = this.clock.trueNowMs();
    for (const entry of this.queue) entry.deliverAtMs = Math.min(entry.deliverAtMs, nowMs);
    this.lastDeliverAtMs = nowMs;
    this.pump();
    return this.settings;
  }

  stats(): LinkStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    this.reset();
    this.counters.openConnections = 0;
  }

  /** Delivers what is due, then waits for the next one; nothing moves while stalled. */
  private pump(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.current.stalled) return;
    const nowMs = this.clock.trueNowMs();
    while (this.queue.length && this.queue[0].deliverAtMs <= nowMs) {
      const { message } = this.queue.shift()!;
      this.counters.heldBytes -= message.length;
      this.counters.bytesDownstream += message.length;
      this.deliver(message);
    }
    if (this.queue.length) this.cancelTimer = this.clock.schedule(() => this.pump(), this.queue[0].deliverAtMs - nowMs);
  }
}
