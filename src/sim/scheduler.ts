/**
 * Discrete events on virtual time. Time only moves when run() takes the next event; everything
 * the simulated regions do is a callback scheduled here, so a run is a function of its seed.
 *
 * How run() lets promise chains finish, and why mostly without a macrotask:
 * an event's handler may start async work (resolve a promise, call an async function). That work
 * must finish — every microtask it queues, transitively — before the next event runs, exactly as
 * in Node, where microtasks drain after each timer callback. The only way to wait for the
 * microtask queue to be empty is a macrotask; setImmediate is the cheapest one, and the only real
 * macrotask the simulator uses. It costs about a microsecond, though, which alone would cap the
 * simulator below a million events a second.
 *
 * Most events start no async work at all (a timer that bumps a counter, a delivery that queues a
 * message). run() detects those deterministically: V8 promise hooks count every promise created or
 * settled; the count is zeroed before the handler, and a probe is queued with queueMicrotask right
 * after it. Anything the handler queued (reactions of a settled promise, the job that adopts a
 * resolved-with promise, queueMicrotask callbacks) runs before the probe, and touches a promise if
 * it does anything async. So if the count is still zero when the probe runs, the microtask queue
 * holds nothing of the simulation's, and the next event may run straight from the probe. Otherwise
 * run() takes the setImmediate hop. The decision depends only on what the simulated code did, never
 * on real time, so a run replays the same either way. Not seen: process.nextTick, and
 * queueMicrotask callbacks that queue more of themselves without touching a promise; simulated code
 * uses neither, and a hop at least every MAX_EVENTS_PER_HOP events flushes them regardless.
 */
import { promiseHooks } from 'node:v8';
import { EventQueue, isDead, type SimEvent } from './eventQueue.js';
import { SimBudgetError, SimBusyError, SimDeadlockError, SimDelayError, SimEventError } from './errors.js';

export { SimBudgetError, SimBusyError, SimDeadlockError, SimDelayError, SimEventError } from './errors.js';

/** Events run between two macrotask hops at most, even when none of them started async work. */
const MAX_EVENTS_PER_HOP = 1024;

const NOTHING_TO_CANCEL = (): void => undefined;

export interface RunOptions {
  /** The most events this run may take before it fails with SimBudgetError (a livelock guard). */
  maxEvents?: number;
}

/** A simulated OS process (a region): its timers die with it. */
export class SimProcess {
  private live = true;
  /** Events owned by this process that are still in the scheduler's queue, not yet run. */
  pendingEvents = 0;

  constructor(readonly name: string, private readonly scheduler: SimScheduler) {}

  get alive(): boolean {
    return this.live;
  }

  schedule(delayMs: number, fn: () => void): () => void {
    return this.scheduler.schedule(delayMs, fn, this);
  }

  /** A crash: every pending timer is cancelled, and later schedule() calls do nothing. */
  kill(): void {
    if (!this.live) return;
    this.live = false;
    this.scheduler.forgetKilled(this.pendingEvents);
    this.pendingEvents = 0;
  }
}

export class SimScheduler {
  private timeMs: number;
  private seq = 0;
  private liveEvents = 0;
  private running = false;
  private readonly queue = new EventQueue();
  /** Promises created or settled since the current event's handler started (see the module comment). */
  private promiseActivity = 0;
  /** Events run since this scheduler was made, over all runs. */
  eventsRun = 0;
  /** setImmediate hops taken, over all runs: how often an event left async work to settle. */
  macrotaskHops = 0;

  constructor(startMs: number) {
    this.timeMs = startMs;
  }

  get nowMs(): number {
    return this.timeMs;
  }

  /** True when no live event is pending. */
  idle(): boolean {
    return this.liveEvents === 0;
  }

  /** Runs fn after delayMs of virtual time (negative or NaN: now); returns a cancel function. */
  schedule(delayMs: number, fn: () => void, owner?: SimProcess): () => void {
    if (owner && !owner.alive) return NOTHING_TO_CANCEL;
    const atMs = this.timeMs + (delayMs > 0 ? delayMs : 0);
    if (!Number.isFinite(atMs)) throw new SimDelayError(delayMs);
    const event: SimEvent = { atMs, seq: this.seq++, fn, owner: owner ?? null };
    this.queue.push(event);
    this.liveEvents += 1;
    if (owner) owner.pendingEvents += 1;
    return () => this.cancel(event);
  }

  process(name: string): SimProcess {
    return new SimProcess(name, this);
  }

  /** Called by SimProcess.kill(): its pending events are dead now. */
  forgetKilled(pendingEvents: number): void {
    this.liveEvents -= pendingEvents;
    this.queue.noteDead(pendingEvents);
  }

  /** Lets ms of virtual time pass, running every event due before then. */
  runFor(ms: number, options?: RunOptions): Promise<void> {
    return this.run(new Promise<void>((resolve) => this.schedule(ms, resolve)), options);
  }

  /** Runs events until work settles; settles as work does, or fails with a Sim*Error. */
  run<T>(work: Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.running) return Promise.reject(new SimBusyError());
    this.running = true;
    const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
    return new Promise<T>((resolve, reject) => {
      let outcome: { value: T } | { error: unknown } | undefined;
      work.then((value) => { outcome = { value }; }, (error: unknown) => { outcome = { error }; });
      const countActivity = (): void => { this.promiseActivity += 1; };
      const stopHooks = [promiseHooks.onInit(countActivity), promiseHooks.onSettled(countActivity)];
      let eventsThisRun = 0;
      let eventsSinceHop = 0;

      const finish = (settle: () => void): void => {
        for (const stop of stopHooks) stop();
        this.running = false;
        settle();
      };
      const step = (): void => {
        if (outcome) return finish(() => ('value' in outcome! ? resolve(outcome.value) : reject(outcome!.error)));
        if (this.liveEvents === 0) return finish(() => reject(new SimDeadlockError(this.timeMs)));
        if (eventsThisRun >= maxEvents) return finish(() => reject(new SimBudgetError(maxEvents, this.timeMs)));
        const event = this.queue.popLive()!;
        eventsThisRun += 1;
        this.promiseActivity = 0;
        try {
          this.runEvent(event);
        } catch (error) {
          return finish(() => reject(new SimEventError(this.timeMs, error)));
        }
        queueMicrotask(probe);
      };
      const probe = (): void => {
        eventsSinceHop += 1;
        if (this.promiseActivity === 0 && eventsSinceHop < MAX_EVENTS_PER_HOP) return step();
        hop();
      };
      const hop = (): void => {
        eventsSinceHop = 0;
        this.macrotaskHops += 1;
        setImmediate(step);
      };
      // The first hop lets the work's own start (its first microtasks) happen before any event.
      hop();
    });
  }

  private runEvent(event: SimEvent): void {
    const fn = event.fn!;
    event.fn = null;
    this.liveEvents -= 1;
    if (event.owner) event.owner.pendingEvents -= 1;
    this.timeMs = event.atMs;
    this.eventsRun += 1;
    fn();
  }

  private cancel(event: SimEvent): void {
    if (isDead(event)) return;
    event.fn = null;
    this.liveEvents -= 1;
    if (event.owner) event.owner.pendingEvents -= 1;
    this.queue.noteDead(1);
  }
}
