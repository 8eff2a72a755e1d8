/**
 * The scheduler's pending events: a binary min-heap ordered by (atMs, seq). seq is the order of
 * scheduling, so two events due at the same virtual time run in the order they were scheduled —
 * the tie-break that makes a run replayable.
 *
 * Cancelling is O(1): the event is marked dead (its fn dropped) and skipped when it reaches the
 * top. So that a workload which cancels most of its timers (timeouts that never fire) cannot
 * grow the heap without bound, the heap is rebuilt without the dead once they are the majority.
 */

/** A simulated process, as far as its events are concerned. */
export interface SimEventOwner {
  readonly alive: boolean;
  /** Its events still in the queue. */
  pendingEvents: number;
}

export interface SimEvent {
  readonly atMs: number;
  readonly seq: number;
  /** null once the event ran or was cancelled. */
  fn: (() => void) | null;
  readonly owner: SimEventOwner | null;
}

/** Dead: cancelled, already run, or owned by a process that was killed. */
export function isDead(event: SimEvent): boolean {
  return event.fn === null || (event.owner !== null && !event.owner.alive);
}

/** Rebuilding costs O(n); below this many dead events it is not worth it. */
const COMPACT_MIN_DEAD = 1024;

function before(a: SimEvent, b: SimEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

export class EventQueue {
  private heap: SimEvent[] = [];
  private deadEvents = 0;

  push(event: SimEvent): void {
    const heap = this.heap;
    let index = heap.length;
    heap.push(event);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(event, heap[parent])) break;
      heap[index] = heap[parent];
      index = parent;
    }
    heap[index] = event;
  }

  /** Removes and returns the earliest live event; dead ones on the way are discarded. */
  popLive(): SimEvent | undefined {
    while (this.heap.length > 0) {
      const top = this.popTop();
      if (!isDead(top)) return top;
      this.deadEvents -= 1;
    }
    return undefined;
  }

  /** Called when count events in the heap became dead (cancelled, or their process killed). */
  noteDead(count: number): void {
    this.deadEvents += count;
    if (this.deadEvents >= COMPACT_MIN_DEAD && this.deadEvents * 2 > this.heap.length) this.compact();
  }

  private popTop(): SimEvent {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) this.siftDown(last, 0);
    return top;
  }

  private siftDown(event: SimEvent, start: number): void {
    const heap = this.heap;
    const length = heap.length;
    let index = start;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      if (child + 1 < length && before(heap[child + 1], heap[child])) child += 1;
      if (!before(heap[child], event)) break;
      heap[index] = heap[child];
      index = child;
    }
    heap[index] = event;
  }

  /** Drops every dead event and restores the heap order bottom-up (Floyd), O(n). */
  private compact(): void {
    this.heap = this.heap.filter((event) => !isDead(event));
    this.deadEvents = 0;
    for (let index = (this.heap.length >> 1) - 1; index >= 0; index -= 1) this.siftDown(this.heap[index], index);
  }
}
