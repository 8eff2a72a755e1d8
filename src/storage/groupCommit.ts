/**
 * Group commit on the calling thread: the writes asked for during one turn of the event loop run
 * together in one synchronous LMDB transaction, right after that turn's I/O. lmdb's own async
 * transactions batch the same way but pass each batch to a write thread and back (three thread
 * hand-offs per commit); with a writable memory map and no fsync a commit costs less than those.
 */
/** Thrown by a write whose effects were partly applied: the whole batch's transaction must be abandoned. */
export class AbortCommitError extends Error {
  constructor(override readonly cause: unknown) {
    super(`commit abandoned: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'AbortCommitError';
  }
}

interface Queued {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Queued[] = [];

  /**
   * runBatch runs its callback inside one transaction and commits it. afterCommit runs after each
   * committed batch; onAbort when a batch as a whole failed (every write in it is rejected).
   */
  constructor(
    private readonly runBatch: (body: () => void) => void,
    private readonly hooks: { afterCommit?: () => void; onAbort?: () => void } = {},
  ) {}

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // The first write of a turn schedules the commit; the rest join it.
      if (this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queue;
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
      this.hooks.onAbort?.();
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
    this.hooks.afterCommit?.();
  }
}
