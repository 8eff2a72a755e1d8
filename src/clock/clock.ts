/**
 * The Clock seam: true time for measurements, region time (true time + skew) for versions, and
 * every timer. Code that may run in the simulator waits only through a Clock (delay, every, defer
 * below), so on virtual time it waits for virtual time.
 */

export interface Clock {
  /** The machine's true time in ms; used for lag and retention, never skewed. */
  trueNowMs(): number;
  /** This region's notion of time: true time + skewMs (a fault that scenarios inject). */
  nowMs(): number;
  skewMs: number;
  /** Runs fn after delayMs of true time; returns a cancel function. */
  schedule(fn: () => void, delayMs: number): () => void;
}

/** System time, with a settable skew. Its timers are unref'd: a pending one never keeps a process alive. */
export class SystemClock implements Clock {
  constructor(public skewMs = 0) {}

  trueNowMs(): number {
    return Date.now();
  }

  nowMs(): number {
    return Date.now() + this.skewMs;
  }

  schedule(fn: () => void, delayMs: number): () => void {
    // No delay means the next turn, not node's setTimeout(0), which waits at least a millisecond:
    // a chunked scan yields this way between chunks.
    if (delayMs <= 0) {
      const immediate = setImmediate(fn);
      immediate.unref();
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(fn, delayMs);
    timer.unref?.();
    return () => clearTimeout(timer);
  }
}

/** Virtual time that only moves when told to: deterministic tests and the simulator. */
export class ManualClock implements Clock {
  private timeMs: number;
  private timers: { atMs: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(startMs = 1_700_000_000_000, public skewMs = 0) {
    this.timeMs = startMs;
  }

  trueNowMs(): number {
    return this.timeMs;
  }

  nowMs(): number {
    return this.timeMs + this.skewMs;
  }

  schedule(fn: () => void, delayMs: number): () => void {
    const timer = { atMs: this.timeMs + Math.max(0, delayMs), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward, firing due timers in time order (ties in scheduling order). */
  advance(deltaMs: number): void {
    const targetMs = this.timeMs + deltaMs;
    for (;;) {
      this.timers.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.atMs > targetMs) break;
      this.timers.shift();
      this.timeMs = next.atMs;
      next.fn();
    }
    this.timeMs = targetMs;
  }
}

/** Resolves after ms of the clock's true time (on a SystemClock the wait alone does not keep the process alive). */
export function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.schedule(resolve, ms);
  });
}

/**
 * Runs fn every intervalMs of the clock's true time, the first time one interval from now; returns
 * a function that stops it. The next run is armed before fn runs, so an fn that throws does not end
 * the series, and an fn that stops it is obeyed.
 */
export function every(clock: Clock, intervalMs: number, fn: () => void): () => void {
  let stopped = false;
  let cancel: () => void;
  const tick = (): void => {
    if (stopped) return;
    cancel = clock.schedule(tick, intervalMs);
    fn();
  };
  cancel = clock.schedule(tick, intervalMs);
  return () => {
    stopped = true;
    cancel();
  };
}

/** Runs fn as soon as the clock lets others run first (a zero delay); returns a cancel function. */
export function defer(clock: Clock, fn: () => void): () => void {
  return clock.schedule(fn, 0);
}

/**
 * The real process's "after this turn's I/O": group commit's default outside the simulator, where a
 * commit must not wait the millisecond a zero timeout takes. Not unref'd: a write waiting to commit
 * keeps the process alive, as it always has.
 */
export function deferToNextTurn(fn: () => void): void {
  setImmediate(fn);
}
