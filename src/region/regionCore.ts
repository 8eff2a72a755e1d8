/**
 * What every region is, whether it serves HTTP in its own process or runs in the simulator: its
 * context (store, clock, ids, settings, conflict log, replication), built complete before anything
 * starts, and its work (publisher and heartbeat, replicators, TTL sweep, retention). The real
 * region (region.ts) adds the HTTP server and NATS around it; the simulator adds simulated seams.
 */
import type { ChangeBus } from '../bus/changeBus.js';
import type { ChangePublisher } from '../bus/changePublisher.js';
import type { Clock } from '../clock/clock.js';
import type { IdSource } from '../core/ids.js';
import type { Granularity } from '../core/lww.js';
import { initialClockState, observeVersion, restoreOwnVersion, versionCeilingMs, type ClockMode } from '../core/version.js';
import { DEFAULT_SETTINGS, type RegionContext, type RegionSettings } from '../dynamo/context.js';
import { ConflictLog } from '../replication/conflicts.js';
import type { Replication } from '../replication/replication.js';
import type { Store } from '../storage/store.js';
import { startChangeLogRetention } from './changeLogRetention.js';
import { EventFeed } from './eventFeed.js';
import { startPublishing, type MakePublisher, type Publishing } from './publishing.js';
import { startTombstoneRetention } from './tombstoneRetention.js';
import { startTtlSweeper } from './ttlSweeper.js';
import { resumeIndexWork } from '../dynamo/indexes/indexUpdates.js';

export interface RegionCoreOptions {
  name: string;
  accountId?: string;
  store: Store;
  clock: Clock;
  ids: IdSource;
  clockMode?: ClockMode;
  granularity?: Granularity;
  settings?: Partial<RegionSettings>;
  /** Everything the region keeps on disk is encrypted (tables then describe their encryption). */
  encryptedAtRest?: boolean;
  /** Builds the region's replication (only a region with a change stream replicates); started by startRegionWork. */
  replication?: (ctx: RegionContext, conflicts: ConflictLog) => Replication;
}

export interface RegionCore {
  ctx: RegionContext;
  conflicts: ConflictLog;
  replication?: Replication;
  /** The live event feed (GET /admin/events); idle until someone subscribes. */
  feed: EventFeed;
}

/** The region's context, complete: every operation and job sees the same one, and nothing is attached later. */
export function createRegionCore(options: RegionCoreOptions): RegionCore {
  const { store } = options;
  const conflicts = new ConflictLog((fn) => store.read(fn));
  const ctx: RegionContext = {
    region: options.name,
    accountId: options.accountId ?? '000000000000',
    store,
    clock: options.clock,
    ids: options.ids,
    clockState: initialClockState(options.name, options.clockMode ?? 'hlc'),
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    granularity: options.granularity ?? 'item',
    conflicts,
    ...(options.encryptedAtRest ? { encryptedAtRest: true } : {}),
  };
  // Replication keeps the context it serves, which in turn names it: set before anything runs.
  const replication = options.replication?.(ctx, conflicts);
  if (replication) ctx.replication = replication;
  restoreClock(ctx);
  return { ctx, conflicts, ...(replication ? { replication } : {}), feed: new EventFeed(ctx, conflicts, replication) };
}

export interface RegionWork {
  publisher?: ChangePublisher;
  /** Stops every job; what is committed stays in the store, which the caller closes. */
  stop(): Promise<void>;
}

/** Starts the region's background work; with a bus, also its publisher, heartbeat and replicators. */
/** `makePublisher`: how a real region makes its publisher (on a thread of its own, publishing.ts). */
export async function startRegionWork(core: RegionCore, bus: ChangeBus | undefined, log: (message: string) => void, makePublisher?: MakePublisher): Promise<RegionWork> {
  const { ctx, replication } = core;
  const stops: (() => void | Promise<void>)[] = [startTtlSweeper(ctx)];
  resumeIndexWork(ctx);
  let publishing: Publishing | undefined;
  try {
    if (bus) {
      publishing = startPublishing(ctx, bus, {
        shouldYield: () => replication?.catchingUp() ?? false, log: (message) => log(`change stream: ${message}`), ...(makePublisher ? { makePublisher } : {}),
      });
      stops.push(() => publishing!.stop());
    }
    if (replication) {
      stops.push(() => replication.close());
      await replication.start();
    }
    const published = publishing?.publisher;
    stops.push(startChangeLogRetention(ctx, () => published?.publishedLsn ?? ctx.store.lastLsn()), startTombstoneRetention(ctx, replication?.tombstones));
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
  return {
    ...(publishing ? { publisher: publishing.publisher } : {}),
    stop: () => stopAll(stops),
  };
}

/** Stops in reverse order of starting: replicators before the publisher, the publisher before the bus. */
async function stopAll(stops: (() => void | Promise<void>)[]): Promise<void> {
  for (const stop of [...stops].reverse()) await stop();
}

/** How many recent changes a restarted region reads to find the newest version it holds. */
const CLOCK_RESTORE_CHANGES = 10_000;

/**
 * A hybrid logical clock must never stamp below a version the region already holds, also after a
 * restart on a clock that runs behind: it absorbs the newest versions in its recent change log
 * (up to the ceiling: a version a clock within bounds cannot have stamped is not absorbed). A wall
 * clock learns its own versions there, so that it never stamps one of them again.
 */
function restoreClock(ctx: RegionContext): void {
  const last = ctx.store.lastLsn();
  const ceilingMs = versionCeilingMs(ctx.clock.trueNowMs());
  for (const change of ctx.store.changesAfter(Math.max(0, last - CLOCK_RESTORE_CHANGES), CLOCK_RESTORE_CHANGES)) {
    observeVersion(ctx.clockState, change.version, ceilingMs);
    if (change.version.region === ctx.region) restoreOwnVersion(ctx.clockState, change.version);
  }
}
