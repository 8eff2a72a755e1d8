/**
 * Group commit on the calling thread: the writes asked for during one turn run together in one
 * synchronous transaction, when the store's `defer` fires — right after that turn's I/O in a real
 * region (setImmediate), at the same virtual time after what is already due in the simulator.
 * lmdb's own async transactions batch the same way but pass each batch to a write thread and back
 * (three thread hand-offs per commit); with a writable memory map and no fsync a commit costs less
 * than those. The in-memory store commits through the same class, so both stores batch alike.
 */
/** Thrown by a write whose effects were partly applied: the whole batch's transaction must be abandoned. */
export class AbortCommitError extends Error {
  constructor(override readonly cause: unknown) {
    super(`commit abandoned: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'AbortCommitError';
  }
}

/** A write asked of a store that was closed. */
export class StoreClosedError extends Error {
  constructor() {
    super('store is closed');
    this.name = 'StoreClosedError';
  }
}

interface Queued {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Runs fn once the current turn is over: when the queued writes commit. */
  defer: (fn: () => void) => void;
  /** After each committed batch. */
  afterCommit?: () => void;
  /** When a batch as a whole failed (every write in it is rejected). */
  onAbort?: () => void;
}

export class GroupCommit {
  private queue: Queued[] = [];
  private closed = false;
  private readonly flushQueued = (): void => this.flush();

  /** runBatch runs its callback inside one transaction and commits it. */
  constructor(
    private readonly runBatch: (body: () => void) => void,
    private readonly options: GroupCommitOptions,
  ) {}

  run<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return new Promise<T>((resolve, reject) => {
      // The first write of a turn schedules the commit; the rest join it.
      if (this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject }) === 1) this.options.defer(this.flushQueued);
    });
  }

  /** Resolves once the writes asked for so far have committed or failed; at once when none wait. */
  async flushed(): Promise<void> {
    if (this.queue.length) await this.run(() => undefined).catch(() => undefined);
  }

  /** Commits the writes asked for so far; any asked for later reject with StoreClosedError. */
  async close(): Promise<void> {
    const pending = this.flushed();
    this.closed = true;
    await pending;
  }

  /** Drops the writes asked for and not committed yet, which then never settle: what a crash does to them. */
  /** Writes asked for and not yet committed. */
  get queuedCount(): number {
    return this.queue.length;
  }

  discardQueued(): void {
    this.queue = [];
  }

  private flush(): void {
    const batch = this.queue;
    // Nothing left to commit (discarded since the flush was deferred): no empty transaction.
    if (!batch.length) return;
    this.queue = [];
    // Each write succeeds or fails on its own (a callback that throws has written nothing), unless
    // it asks for the whole transaction to be abandoned.
    const outcomes: ({ value: unknown } | { error: unknown })[] = [];
    try {
      this.runBatch(() => {
        for (const { fn } of batch) {
          try {
            outcomes.push({ value: fn() });
          } catch (error) {
            if (error instanceof AbortCommitError) throw error.cause;
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      this.options.onAbort?.();
      for (const queued of batch) queued.reject(error);
      return;
    }
    batch.forEach((queued, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) queued.reject(outcome.error);
      else queued.resolve(outcome.value);
    });
    // Still before any writer's continuation runs (those wait for this turn to end); a hook that
    // throws cannot leave a writer waiting forever.
    this.options.afterCommit?.();
  }
}
