/**
 * Following every real region's event feed for a run's timeline, over HTTP. Starting waits until
 * each feed is connected; a restarted region is followed again at once (not at the client's next
 * retry: a feed starts at the log's end, so what the region applies before it is followed is not
 * told); stopping waits until each running region's feed has sent a status beat from after the
 * stop was asked for, so the run's last changes are in.
 */
import { followFeed } from '../region/feedClient.js';
import type { FeedEvent } from '../region/feedEvents.js';
import type { FeedFollowing } from './targets.js';

/** A region that has not answered its feed by then is followed anyway, in case it comes later. */
const CONNECT_DEADLINE_MS = 10_000;
/** A feed's status comes once a second: longer than that, and the region is gone or stuck. */
const DRAIN_DEADLINE_MS = 2_500;

export interface FeedSource {
  name: string;
  endpoint: string;
  adminToken: string;
  running(): boolean;
}

interface Followed {
  connected: boolean;
  lastStatusAtMs: number;
  close(): void;
}

export class RealFeeds implements FeedFollowing {
  private readonly followed = new Map<string, Followed>();
  /** Called after every event and connection change: the waits below check their condition then. */
  private readonly waiters = new Set<() => void>();

  constructor(private readonly sources: FeedSource[], private readonly listener: (event: FeedEvent) => void) {
    for (const source of sources) this.follow(source);
  }

  /** Resolves once every region's feed is connected (or at the deadline). */
  connected(): Promise<void> {
    return this.until(CONNECT_DEADLINE_MS, () => [...this.followed.values()].every((f) => f.connected));
  }

  /** The region was started again: follow it now, not at the old connection's next retry. */
  restarted(name: string): void {
    const source = this.sources.find((s) => s.name === name);
    if (!source) return;
    this.followed.get(name)?.close();
    this.follow(source);
  }

  async stop(): Promise<void> {
    const askedAtMs = Date.now();
    const running = this.sources.filter((s) => s.running()).map((s) => this.followed.get(s.name)!);
    await this.until(DRAIN_DEADLINE_MS, () => running.every((f) => f.connected && f.lastStatusAtMs >= askedAtMs));
    for (const f of this.followed.values()) f.close();
    this.waiters.clear();
  }

  private follow(source: FeedSource): void {
    const state: Followed = { connected: false, lastStatusAtMs: 0, close: () => {} };
    this.followed.set(source.name, state);
    const feed = followFeed({
      endpoint: source.endpoint,
      adminToken: source.adminToken,
      onEvent: (event) => {
        if (event.type === 'status') state.lastStatusAtMs = event.atMs;
        this.listener(event);
        this.wake();
      },
      onConnection: (up) => {
        state.connected = up;
        this.wake();
      },
    });
    state.close = () => feed.close();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves when `done` holds (checked now and at every event) or at the deadline. */
  private until(deadlineMs: number, done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const check = (): void => { if (done()) finish(); };
      const timer = setTimeout(finish, deadlineMs);
      this.waiters.add(check);
      check();
    });
  }
}
