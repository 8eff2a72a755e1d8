/**
 * Snapshots of one table (items and tombstones with their versions) for backfilling a new replica
 * and for resyncing after a source trimmed changes this region never applied.
 */
import type { VersionedState } from '../core/lww.js';
import { own, setOwn } from '../core/plainData.js';
import type { Item } from '../core/types.js';
import type { RegionContext } from '../dynamo/context.js';
import { keyShapeOf, type TableMeta } from '../dynamo/tables.js';
import type { ItemRecord, StoreTxn } from '../storage/store.js';
import { mergeIncoming, emptyTally, type ApplyTally } from './apply.js';
import type { ConflictLog } from './conflicts.js';
import { checkpointKey, readPosition } from './replicator.js';

export interface SnapshotEntry {
  keys: Item;
  state: VersionedState;
}

export interface TableSnapshot {
  table: string;
  region: string;
  /**
   * What the snapshot reflects, per region's stream: this region's own lsn, and for each source
   * the last sequence this region had applied from it. Changes after these are not in it.
   */
  positions: Record<string, number>;
  /** For each source, the sequence in its stream of the last message this region had taken (absent from regions older than groups: the sequence was the lsn). */
  streamPositions?: Record<string, number>;
  entries: SnapshotEntry[];
}

function keysOf(meta: TableMeta, record: ItemRecord): Item | undefined {
  const shape = keyShapeOf(meta);
  const from = record.item ?? record.keys;
  if (!from) return undefined;
  const keys: Item = { [shape.hash.name]: own(from, shape.hash.name)! };
  if (shape.range) setOwn(keys, shape.range.name, own(from, shape.range.name)!);
  return keys;
}

function stateOf(record: ItemRecord): VersionedState {
  const { deletedAtMs: _deleted, keys: _keys, ...state } = record;
  return state;
}

export function takeSnapshot(ctx: RegionContext, meta: TableMeta, sources: string[]): TableSnapshot {
  // Positions first: anything committed while the items are read is then at worst applied twice, which LWW makes harmless.
  const positions: Record<string, number> = { [ctx.region]: ctx.store.lastLsn() };
  return ctx.store.read((txn) => {
    const streamPositions: Record<string, number> = {};
    for (const source of sources) {
      positions[source] = txn.getMeta<number>(checkpointKey(source)) ?? 0;
      streamPositions[source] = readPosition(txn, source).seq;
    }
    const entries: SnapshotEntry[] = [];
    for (const { record } of txn.range(meta.id)) {
      const keys = keysOf(meta, record);
      if (keys) entries.push({ keys, state: stateOf(record) });
    }
    return { table: meta.name, region: ctx.region, positions, streamPositions, entries };
  });
}

/** Merges a snapshot into the local table, in transactions of a bounded size. */
export async function mergeSnapshot(ctx: RegionContext, conflicts: ConflictLog, snapshot: TableSnapshot, extra?: (txn: StoreTxn) => void): Promise<ApplyTally> {
  const tally = emptyTally();
  const CHUNK = 2000;
  for (let i = 0; i < snapshot.entries.length || i === 0; i += CHUNK) {
    const chunk = snapshot.entries.slice(i, i + CHUNK);
    const last = i + CHUNK >= snapshot.entries.length;
    await ctx.store.write((txn) => {
      const meta = txn.getTable<TableMeta>(snapshot.table);
      if (!meta || meta.deleting) return;
      for (const { keys, state } of chunk) mergeIncoming(ctx, txn, conflicts, meta, keys, state, tally);
      if (last) extra?.(txn);
    });
  }
  return tally;
}
