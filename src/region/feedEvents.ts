/**
 * What a region's event feed says (GET /admin/events, one server-sent event per entry, its `event`
 * the type and its `data` the JSON below). The console, the scenario recorder and the HTML report
 * read these; every time is true time in ms (virtual in a simulated run), `region` the feed's own.
 */
import type { ConflictEntry } from '../replication/conflicts.js';
import type { Item, Version } from '../core/types.js';
import type { LinkSettings, LinkStats } from '../nats/link.js';

/** First event of every subscription: where the feed starts. */
export interface FeedHello { type: 'hello'; region: string; atMs: number; lsn: number }

/**
 * One record of the region's change log: a write its clients made (origin === region) or a
 * replicated change it applied (origin is where it was written; atMs is when it was applied here).
 */
export interface FeedChange {
  type: 'change';
  region: string;
  atMs: number;
  lsn: number;
  table: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Item;
  /** The item after the change; left out (imageOmitted) when it is large. */
  newImage?: Item;
  imageOmitted?: true;
  version: Version;
  prevVersion?: Version;
  origin: string;
  /** A delete the service made (TTL). */
  service?: true;
}

/** More changes than the feed sends in one beat: these lsns were left out (the counts still add up). */
export interface FeedChangesSkipped { type: 'changesSkipped'; region: string; atMs: number; fromLsn: number; toLsn: number }

export interface FeedConflict { type: 'conflict'; region: string; atMs: number; conflict: ConflictEntry & { explanation: string } }

export interface FeedLink extends LinkSettings { source: string; stats: LinkStats }

/** A fault injected or lifted through the admin API, in words, with the setting it left. */
export interface FeedFault {
  type: 'fault';
  region: string;
  atMs: number;
  kind: 'link' | 'clock' | 'nats';
  text: string;
  link?: FeedLink;
  clock?: { mode: 'hlc' | 'wall'; skewMs: number };
  natsRunning?: boolean;
}

/** Once a second: what the region holds and how far behind each source it is. */
export interface FeedStatus {
  type: 'status';
  region: string;
  atMs: number;
  items: number;
  tables: { name: string; items: number; replicas: string[] }[];
  clock: { mode: 'hlc' | 'wall'; skewMs: number };
  links: FeedLink[];
  replication: { source: string; connected: boolean; pending: number; applied: number; lagMs: { p50: number | null; p99: number | null; current: number } }[];
  conflicts: number;
}

export type FeedEvent = FeedHello | FeedChange | FeedChangesSkipped | FeedConflict | FeedFault | FeedStatus;
