/**
 * One key's timeline across regions, from each region's history of it (GET /admin/history): where
 * each version was written, when it arrived elsewhere and how late, what it replaced, and which
 * writes lost a conflict, with the reason in words.
 */
import type { FeedChange } from '../region/feedEvents.js';
import type { ConflictEntry } from '../replication/conflicts.js';
import type { Item, Version } from './types.js';
import { compareVersions } from './version.js';

export interface RegionKeyHistory {
  region: string;
  /** The key's change-log records in that region, oldest first. */
  changes: FeedChange[];
  conflicts: (ConflictEntry & { explanation: string })[];
}

export interface KeyTimelineEntry {
  atMs: number;
  region: string;
  /**
   * written: a client of the region wrote this version; arrived: it came from its origin;
   * overwritten: the region's previous version, replaced by `by` at atMs; lost: the loser of a
   * conflict the region detected.
   */
  kind: 'written' | 'arrived' | 'overwritten' | 'lost';
  version: Version;
  origin: string;
  /** The item as that version left it; null when deleted, or not known (not in any history, or too large to send). */
  item: Item | null;
  /** arrived: atMs minus when it was written at its origin, when the origin's history holds that write. */
  lagMs?: number;
  /** overwritten: the version that replaced it; lost: the version it lost to. */
  by?: Version;
  /** lost: why, in words (explainConflict). */
  explanation?: string;
}

const versionKey = (version: Version): string => `${version.ts}:${version.counter}:${version.region}`;

export function keyTimeline(regions: RegionKeyHistory[]): KeyTimelineEntry[] {
  // Where and when each version was written, and the item it left, from every region that knows it.
  const writtenAtMs = new Map<string, number>();
  const items = new Map<string, Item | null>();
  for (const { region, changes } of regions) {
    for (const change of changes) {
      const key = versionKey(change.version);
      if (change.origin === region && change.version.region === region) writtenAtMs.set(key, change.atMs);
      if (!change.imageOmitted) items.set(key, change.newImage ?? null);
    }
  }
  const itemOf = (version: Version): Item | null => items.get(versionKey(version)) ?? null;

  const entries: KeyTimelineEntry[] = [];
  for (const { region, changes, conflicts } of regions) {
    let previous: FeedChange | undefined;
    for (const change of changes) {
      const replaced = previous?.version ?? change.prevVersion;
      if (replaced && compareVersions(replaced, change.version) !== 0) {
        entries.push({
          atMs: change.atMs, region, kind: 'overwritten', version: replaced, origin: previous?.origin ?? replaced.region, item: itemOf(replaced), by: change.version,
        });
      }
      const written = change.origin === region;
      const originAtMs = writtenAtMs.get(versionKey(change.version));
      entries.push({
        atMs: change.atMs,
        region,
        kind: written ? 'written' : 'arrived',
        version: change.version,
        origin: change.origin,
        item: change.imageOmitted ? null : change.newImage ?? null,
        ...(!written && originAtMs !== undefined ? { lagMs: change.atMs - originAtMs } : {}),
      });
      previous = change;
    }
    for (const conflict of conflicts) {
      entries.push({
        atMs: conflict.detectedAtMs,
        region: conflict.detectedIn,
        kind: 'lost',
        version: conflict.loser.version,
        origin: conflict.loser.origin,
        item: itemOf(conflict.loser.version),
        by: conflict.winner.version,
        explanation: conflict.explanation,
      });
    }
  }
  // Stable: within one region and millisecond, what was replaced comes before what replaced it.
  return entries
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => a.entry.atMs - b.entry.atMs || (a.entry.region < b.entry.region ? -1 : a.entry.region > b.entry.region ? 1 : a.order - b.order))
    .map(({ entry }) => entry);
}
