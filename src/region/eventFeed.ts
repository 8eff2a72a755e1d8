/**
 * The region's live event feed (GET /admin/events, the console, the scenario recorder): its changes,
 * conflicts, injected faults and, once a second, its status. A beat on the region's clock reads the
 * change log and the conflict log after a cursor, so the feed adds nothing to the write path and
 * costs nothing while no one listens; a busy region sends a bounded number of changes per beat and
 * says how many it left out.
 */
import { every, type Clock } from '../clock/clock.js';
import { explainConflict } from '../core/conflictExplanation.js';
import type { RegionContext } from '../dynamo/context.js';
import { readStats, type TableMeta } from '../dynamo/tables.js';
import type { Link } from '../nats/link.js';
import type { ConflictLog } from '../replication/conflicts.js';
import type { Replication } from '../replication/replication.js';
import type { ChangeRecord } from '../storage/store.js';
import type { FeedChange, FeedEvent, FeedFault, FeedLink, FeedStatus } from './feedEvents.js';

export const FEED_BEAT_MS = 100;
export const FEED_STATUS_INTERVAL_MS = 1000;
/** Changes one beat sends at most (2,500 a second): more than a page can draw, far fewer than a busy region commits. */
export const MAX_CHANGES_PER_BEAT = 250;
/** A change's new image is left out above this much JSON, so that one large item does not flood a browser. */
export const MAX_IMAGE_JSON_CHARS = 16 * 1024;

export type FeedListener = (event: FeedEvent) => void;

interface Subscriber {
  listener: FeedListener;
  /** Called once when the feed closes (the region stops), so a stream can end. */
  onEnd?: () => void;
}

export function feedLink(link: Link, source: string): FeedLink {
  return { source, ...link.settings, stats: link.stats() };
}

/** One change-log record as the feed says it (history uses the same shape). */
export function feedChange(region: string, change: ChangeRecord): FeedChange {
  const imageFits = change.newImage !== undefined && JSON.stringify(change.newImage).length <= MAX_IMAGE_JSON_CHARS;
  return {
    type: 'change',
    region,
    atMs: change.commitTimeMs,
    lsn: change.lsn,
    table: change.table,
    eventName: change.eventName,
    keys: change.keys,
    ...(change.newImage === undefined ? {} : imageFits ? { newImage: change.newImage } : { imageOmitted: true as const }),
    version: change.version,
    ...(change.prevVersion ? { prevVersion: change.prevVersion } : {}),
    origin: change.origin,
    ...(change.service ? { service: true as const } : {}),
  };
}

export class EventFeed {
  private readonly subscribers = new Set<Subscriber>();
  private stopBeat: (() => void) | undefined;
  /** The last lsn sent (or skipped), and the last conflict sent: where every subscriber is. */
  private cursorLsn = 0;
  private conflictSeq = 0;
  private lastStatusMs = 0;
  private closed = false;

  constructor(
    private readonly ctx: RegionContext,
    private readonly conflicts: ConflictLog,
    private readonly replication: Replication | undefined,
  ) {}

  private get clock(): Clock {
    return this.ctx.clock;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** The listener gets `hello` and the current status at once, then every event; returns the unsubscribe. */
  subscribe(listener: FeedListener, onEnd?: () => void): () => void {
    if (this.closed) {
      onEnd?.();
      return () => {};
    }
    const subscriber: Subscriber = { listener, ...(onEnd ? { onEnd } : {}) };
    if (!this.stopBeat) this.startBeat();
    this.subscribers.add(subscriber);
    const atMs = this.clock.trueNowMs();
    deliver(subscriber, { type: 'hello', region: this.ctx.region, atMs, lsn: this.cursorLsn });
    deliver(subscriber, this.status(atMs));
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopBeating();
    };
  }

  /** A fault injected or lifted through the admin API (see adminFaults.ts). */
  fault(event: Omit<FeedFault, 'type' | 'region' | 'atMs'>): void {
    if (this.subscribers.size === 0) return;
    this.broadcast({ type: 'fault', region: this.ctx.region, atMs: this.clock.trueNowMs(), ...event });
  }

  /** The region stops: no more events, and every subscriber's stream ends. */
  close(): void {
    this.closed = true;
    this.stopBeating();
    const ending = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of ending) subscriber.onEnd?.();
  }

  private startBeat(): void {
    // A feed that starts listening starts at the log's end: it is live, not a replay.
    this.cursorLsn = this.ctx.store.lastLsn();
    this.conflictSeq = this.conflicts.total;
    this.lastStatusMs = this.clock.trueNowMs();
    this.stopBeat = every(this.clock, FEED_BEAT_MS, () => this.beat());
  }

  private stopBeating(): void {
    this.stopBeat?.();
    this.stopBeat = undefined;
  }

  private beat(): void {
    const atMs = this.clock.trueNowMs();
    this.sendChanges(atMs);
    this.sendConflicts();
    if (atMs - this.lastStatusMs >= FEED_STATUS_INTERVAL_MS) {
      this.lastStatusMs = atMs;
      this.broadcast(this.status(atMs));
    }
  }

  private sendChanges(atMs: number): void {
    const lastLsn = this.ctx.store.lastLsn();
    if (lastLsn <= this.cursorLsn) return;
    const region = this.ctx.region;
    const changes = this.ctx.store.changesAfter(this.cursorLsn, MAX_CHANGES_PER_BEAT);
    // Retention may have trimmed what the cursor had not reached: said as skipped, so the counts add up.
    const first = changes[0]?.lsn ?? lastLsn + 1;
    if (first > this.cursorLsn + 1) this.broadcast({ type: 'changesSkipped', region, atMs, fromLsn: this.cursorLsn + 1, toLsn: first - 1 });
    for (const change of changes) this.broadcast(feedChange(region, change));
    const sentTo = changes.at(-1)?.lsn ?? first - 1;
    if (lastLsn > sentTo) this.broadcast({ type: 'changesSkipped', region, atMs, fromLsn: sentTo + 1, toLsn: lastLsn });
    this.cursorLsn = lastLsn;
  }

  private sendConflicts(): void {
    if (this.conflicts.total <= this.conflictSeq) return;
    for (const entry of this.conflicts.list({ afterSeq: this.conflictSeq, limit: MAX_CHANGES_PER_BEAT })) {
      this.conflictSeq = entry.seq;
      this.broadcast({ type: 'conflict', region: this.ctx.region, atMs: entry.detectedAtMs, conflict: { ...entry, explanation: explainConflict(entry) } });
    }
  }

  private status(atMs: number): FeedStatus {
    const { ctx, replication } = this;
    const tables = ctx.store.read((txn) => txn.listTableNames()
      .map((name) => txn.getTable<TableMeta>(name)!)
      .filter((meta) => !meta.deleting)
      .map((meta) => ({ name: meta.name, items: readStats(txn, meta.id).itemCount, replicas: Object.keys(meta.replicas ?? {}).sort() })));
    return {
      type: 'status',
      region: ctx.region,
      atMs,
      items: tables.reduce((sum, table) => sum + table.items, 0),
      tables,
      clock: { mode: ctx.clockState.mode, skewMs: ctx.clock.skewMs },
      links: replication?.peerNames().flatMap((source) => {
        const link = replication.link(source);
        return link ? [feedLink(link, source)] : [];
      }) ?? [],
      replication: (replication?.status() ?? []).map((pair) => ({
        source: pair.source,
        connected: pair.connected,
        pending: pair.pending,
        applied: pair.applied,
        lagMs: { p50: pair.lagMs.p50, p99: pair.lagMs.p99, current: pair.lagMs.current },
      })),
      conflicts: this.conflicts.total,
    };
  }

  private broadcast(event: FeedEvent): void {
    for (const subscriber of [...this.subscribers]) deliver(subscriber, event);
  }
}

/** One listener's failure is its own: the others still get the event. */
function deliver(subscriber: Subscriber, event: FeedEvent): void {
  try {
    subscriber.listener(event);
  } catch (error) {
    console.error('event feed listener failed:', error);
  }
}
