/**
 * The Clock seam on virtual time. True time is the scheduler's; region time adds the faults a
 * scenario injects: a skew (changing it is a jump), a drift (a clock that runs fast or slow, in
 * parts per million) and a freeze (a clock that stops reading forward).
 *
 * Readings are whole milliseconds, like Date.now(): virtual time itself may be fractional (a
 * network delay drawn from a distribution), but versions are built from nowMs().
 */
import type { Clock } from '../clock/clock.js';
import type { SimProcess, SimScheduler } from './scheduler.js';

export interface VirtualClockOptions {
  skewMs?: number;
  driftPpm?: number;
  /** The process whose timers these are: they die with it. */
  owner?: SimProcess;
}

/** What every clock of one region shares, whichever process owns its timers. */
class RegionTime {
  skewMs: number;
  /** Drift accumulated before the last change of rate, ms. */
  driftBaseMs = 0;
  driftPpm: number;
  driftSinceMs: number;
  frozenAtMs: number | undefined;

  constructor(private readonly scheduler: SimScheduler, skewMs: number, driftPpm: number) {
    this.skewMs = skewMs;
    this.driftPpm = driftPpm;
    this.driftSinceMs = scheduler.nowMs;
  }

  driftMs(): number {
    return this.driftBaseMs + (this.driftPpm * (this.scheduler.nowMs - this.driftSinceMs)) / 1e6;
  }
}

export class VirtualClock implements Clock {
  private time: RegionTime;
  private readonly owner: SimProcess | undefined;

  constructor(private readonly scheduler: SimScheduler, options: VirtualClockOptions = {}) {
    this.time = new RegionTime(scheduler, options.skewMs ?? 0, options.driftPpm ?? 0);
    this.owner = options.owner;
  }

  /** The same region time (skew, drift, freeze: changing one changes both), with timers owned by process. */
  withProcess(process: SimProcess): VirtualClock {
    const clock = new VirtualClock(this.scheduler, { owner: process });
    clock.time = this.time;
    return clock;
  }

  trueNowMs(): number {
    return Math.floor(this.scheduler.nowMs);
  }

  nowMs(): number {
    return this.time.frozenAtMs ?? this.readRegionTime();
  }

  get skewMs(): number {
    return this.time.skewMs;
  }

  set skewMs(value: number) {
    this.time.skewMs = value;
  }

  get driftPpm(): number {
    return this.time.driftPpm;
  }

  /** A new rate from now on; the drift so far is kept, so the clock does not jump. */
  set driftPpm(value: number) {
    this.time.driftBaseMs = this.time.driftMs();
    this.time.driftSinceMs = this.scheduler.nowMs;
    this.time.driftPpm = value;
  }

  get frozen(): boolean {
    return this.time.frozenAtMs !== undefined;
  }

  /** nowMs() keeps returning what it returns now, until unfreeze(). */
  freeze(): void {
    this.time.frozenAtMs ??= this.readRegionTime();
  }

  /** Region time reads forward again, from where it would be had it never stopped. */
  unfreeze(): void {
    this.time.frozenAtMs = undefined;
  }

  schedule(fn: () => void, delayMs: number): () => void {
    return this.scheduler.schedule(delayMs, fn, this.owner);
  }

  private readRegionTime(): number {
    return this.trueNowMs() + this.time.skewMs + Math.round(this.time.driftMs());
  }
}
