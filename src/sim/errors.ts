/** Why a simulation run stopped without its work settling. */

/** No event is pending, yet the work has not settled: it waits for something that can never happen. */
export class SimDeadlockError extends Error {
  constructor(readonly atMs: number) {
    super(`simulation deadlocked at virtual time ${atMs} ms: the work has not settled and no event is pending`);
    this.name = 'SimDeadlockError';
  }
}

/** An event's handler threw; the simulation cannot go on from a half-run event. */
export class SimEventError extends Error {
  constructor(readonly atMs: number, cause: unknown) {
    super(`a simulated event threw at virtual time ${atMs} ms: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SimEventError';
  }
}

/** The run took more events than it was allowed: most likely a livelock (timers rescheduling forever). */
export class SimBudgetError extends Error {
  constructor(readonly maxEvents: number, readonly atMs: number) {
    super(`simulation ran out of its budget of ${maxEvents} events at virtual time ${atMs} ms`);
    this.name = 'SimBudgetError';
  }
}

/** run() while another run() of the same scheduler is in progress: one loop drives the time. */
export class SimBusyError extends Error {
  constructor() {
    super('the scheduler is already running');
    this.name = 'SimBusyError';
  }
}

/** A delay that would put an event at an infinite time. */
export class SimDelayError extends Error {
  constructor(readonly delayMs: number) {
    super(`cannot schedule an event ${delayMs} ms ahead`);
    this.name = 'SimDelayError';
  }
}
