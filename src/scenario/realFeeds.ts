/**
 * Following every real region's event feed for a run's timeline: over HTTP, reconnecting after a
 * crash or restart. Starting waits until each feed is connected; stopping waits until each
 * connected feed has sent a status beat from after the stop was asked for, so the run's last
 * changes are in.
 */
import { followFeed } from '../region/feedClient.js';
import type { FeedEvent } from '../region/feedEvents.js';
import type { FeedFollowing } from './targets.js';

/** A region that has not answered its feed by then is followed anyway, in case it comes later. */
const CONNECT_DEADLINE_MS = 10_000;
/** A feed's status comes once a second: longer than that, and the region is gone or stuck. */
const DRAIN_DEADLINE_MS = 2_500;

export interface FeedSource { endpoint: string; adminToken: string }

interface Followed {
  connected: boolean;
  lastStatusAtMs: number;
  waiters: (() => void)[];
  close(): void;
}

/** Resolves when `done` says so (checked at each call of the returned `check`) or at the deadline. */
function until(deadlineMs: number, register: (check: () => void) => void, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, deadlineMs);
    const check = (): void => {
      if (!done()) return;
      clearTimeout(timer);
      resolve();
    };
    register(check);
    check();
  });
}

export async function followRealFeeds(sources: FeedSource[], listener: (event: FeedEvent) => void): Promise<FeedFollowing> {
  const followed = sources.map((source): Followed => {
    const state: Followed = { connected: false, lastStatusAtMs: 0, waiters: [], close: () => {} };
    const wake = (): void => { for (const waiter of state.waiters) waiter(); };
    const feed = followFeed({
      endpoint: source.endpoint,
      adminToken: source.adminToken,
      onEvent: (event) => {
        if (event.type === 'status') state.lastStatusAtMs = event.atMs;
        listener(event);
        wake();
      },
      onConnection: (up) => {
        state.connected = up;
        wake();
      },
    });
    state.close = () => feed.close();
    return state;
  });
  await Promise.all(followed.map((f) => until(CONNECT_DEADLINE_MS, (check) => f.waiters.push(check), () => f.connected)));
  return {
    async stop() {
      const askedAtMs = Date.now();
      await Promise.all(followed.map((f) => until(DRAIN_DEADLINE_MS, (check) => f.waiters.push(check), () => !f.connected || f.lastStatusAtMs >= askedAtMs)));
      for (const f of followed) f.close();
    },
  };
}
