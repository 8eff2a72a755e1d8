/** The console's reads across regions: one table as each region holds it, and one key's history everywhere. */
import type { VersionedState } from '../core/lww.js';
import { keyTimeline, type KeyTimelineEntry, type RegionKeyHistory } from '../core/keyHistory.js';
import type { Item, Version } from '../core/types.js';
import { adminGet, type ConsoleRegion } from './regionCalls.js';

/** Rows a table view shows per region: enough to look at, little enough for a page. */
export const TABLE_VIEW_LIMIT = 500;

export interface TableEntry { keys: Item; item: Item | null; version: Version; origin: string; writtenAtMs: number }
export type RegionTable = { entries: TableEntry[]; truncated: boolean } | { missing: true } | { error: string };

async function regionTable(region: ConsoleRegion, token: string | undefined, table: string): Promise<RegionTable> {
  // The snapshot peers read: items and tombstones, each with the version that decided it.
  const read = await adminGet<{ entries: { keys: Item; state: VersionedState }[] }>(region, token, `snapshot?table=${encodeURIComponent(table)}`);
  if (!read.ok) return read.status === 404 ? { missing: true } : { error: read.error };
  const { entries } = read.body;
  return {
    entries: entries.slice(0, TABLE_VIEW_LIMIT).map(({ keys, state }) => ({ keys, item: state.item, version: state.version, origin: state.origin, writtenAtMs: state.writtenAtMs })),
    truncated: entries.length > TABLE_VIEW_LIMIT,
  };
}

export async function tableAcrossRegions(regions: ConsoleRegion[], token: string | undefined, table: string): Promise<{ table: string; regions: Record<string, RegionTable> }> {
  const views = await Promise.all(regions.map(async (region) => [region.name, await regionTable(region, token, table)] as const));
  return { table, regions: Object.fromEntries(views) };
}

type RegionHistory = RegionKeyHistory & { truncated: boolean };

/** Every region's records of the key, put on one timeline; a region that is down or lacks the table adds nothing and is named. */
export async function keyHistoryAcrossRegions(regions: ConsoleRegion[], token: string | undefined, table: string, key: string) {
  const query = `history?table=${encodeURIComponent(table)}&key=${encodeURIComponent(key)}`;
  const answers = await Promise.all(regions.map(async (region) => ({ region: region.name, read: await adminGet<RegionHistory>(region, token, query) })));
  const histories = answers.flatMap(({ read }) => (read.ok ? [read.body] : []));
  const timeline: KeyTimelineEntry[] = keyTimeline(histories);
  const unavailable = Object.fromEntries(answers.flatMap(({ region, read }) => (read.ok ? [] : [[region, read.error]])));
  return { table, key: JSON.parse(key) as Item, timeline, truncated: histories.some((h) => h.truncated), unavailable };
}
