/**
 * The events of one ChangeSession, waiting for the replicator to take them: shared by the real
 * session (receiver.ts) and the simulated one (src/sim/changeSession.ts).
 */
import type { SessionEvent } from './changeSource.js';

export class SessionQueue {
  private readonly events: SessionEvent[] = [];
  private waiter: (() => void) | undefined;
  /** Changes received but not yet taken by next(). */
  queued = 0;

  push(event: SessionEvent): void {
    if (event.type === 'batch') this.queued += event.batch.changes.length;
    this.events.push(event);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  async next(): Promise<SessionEvent> {
    while (!this.events.length) await new Promise<void>((resolve) => { this.waiter = resolve; });
    const event = this.events.shift()!;
    if (event.type === 'batch') this.queued -= event.batch.changes.length;
    return event;
  }
}
