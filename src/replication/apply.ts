/**
 * Applies replicated state to this region: last-writer-wins merge, the item and a local change
 * record (so this region's own stream shows the change, with its true origin), conflicts logged,
 * all inside the caller's transaction — which also holds the replicator's checkpoint (DESIGN §4).
 */
import { mergeStates, type MergeOutcome, type VersionedState } from '../core/lww.js';
import { encodeItemKey } from '../core/keys.js';
import type { Item } from '../core/types.js';
import { observeVersion, versionCeilingMs } from '../core/version.js';
import type { RegionContext } from '../dynamo/context.js';
import { storeState } from '../dynamo/items/commit.js';
import { keyShapeOf, type TableMeta } from '../dynamo/tables.js';
import type { StoreTxn } from '../storage/store.js';
import type { EncodedIncoming, IncomingChange } from './incoming.js';
import type { ConflictEntry, ConflictLog } from './conflicts.js';
import { noteIfResurrection } from './tombstoneCounts.js';

export interface ApplyTally {
  /** Changes that altered this region's copy. */
  applied: number;
  /** Changes this region already had, or that lost to what it has. */
  skipped: number;
  /** Changes for tables this region does not replicate from that origin. */
  ignored: number;
  /** Commit times (at the origin) of the changes that concerned this region: what replication lag is measured on. */
  committedAtMs: number[];
  conflicts: ConflictEntry[];
}

export const emptyTally = (): ApplyTally => ({ applied: 0, skipped: 0, ignored: 0, committedAtMs: [], conflicts: [] });

/** A table this region holds as a replica of a global table that `origin` belongs to. */
export function replicatedTable(txn: StoreTxn, name: string, origin: string): TableMeta | undefined {
  const meta = txn.getTable<TableMeta>(name);
  if (!meta || meta.deleting || !meta.replicas || !Object.hasOwn(meta.replicas, origin)) return undefined;
  return meta;
}

/** Merges one incoming state for one key; returns what happened. */
export function mergeIncoming(
  ctx: RegionContext, txn: StoreTxn, conflicts: ConflictLog, table: TableMeta, keys: Item, incoming: VersionedState, tally: ApplyTally, encoded?: EncodedIncoming,
): MergeOutcome {
  const key = encodeItemKey(keyShapeOf(table), keys);
  const existing = txn.getItem(table.id, key);
  const result = mergeStates(existing, incoming, ctx.granularity, keys);
  const nowMs = ctx.clock.trueNowMs();
  // A hybrid logical clock absorbs what it sees, so a later local write orders after it; nothing
  // later than any clock within bounds can read, which would drag this region's clock along.
  observeVersion(ctx.clockState, incoming.version, versionCeilingMs(nowMs));
  if (result.conflict) {
    tally.conflicts.push(conflicts.record(txn, {
      ...result.conflict, table: table.name, keys, detectedIn: ctx.region, detectedAtMs: nowMs,
    }));
  }
  if (!result.changed) {
    tally.skipped += 1;
    return result.outcome;
  }
  tally.applied += 1;
  noteIfResurrection(txn, table, existing, incoming.version);
  // The incoming state stored as it is: its records were encoded on arrival.
  const asReceived = result.state === incoming ? encoded : undefined;
  storeState(txn, table, key, keys, existing, result.state, nowMs, asReceived?.state);
  const old = existing?.item ?? undefined;
  const next = result.state.item ?? undefined;
  if (old || next) {
    txn.appendChange({
      table: table.name,
      eventName: !next ? 'REMOVE' : old ? 'MODIFY' : 'INSERT',
      keys,
      ...(old ? { oldImage: old } : {}),
      ...(next ? { newImage: next } : {}),
      version: result.state.version,
      ...(existing ? { prevVersion: existing.version } : {}),
      origin: result.state.origin,
      commitTimeMs: nowMs,
      ...(result.state.attributes ? { attributes: result.state.attributes } : {}),
    }, asReceived?.tail);
  }
  return result.outcome;
}

/** Applies a batch of changes from one source region, in order. */
export function applyChanges(ctx: RegionContext, txn: StoreTxn, conflicts: ConflictLog, changes: IncomingChange[]): ApplyTally {
  const tally = emptyTally();
  for (const change of changes) {
    const table = replicatedTable(txn, change.table, change.state.origin);
    if (!table || !(ctx.region in table.replicas!)) {
      tally.ignored += 1;
      continue;
    }
    mergeIncoming(ctx, txn, conflicts, table, change.keys, change.state, tally, change.encoded);
    tally.committedAtMs.push(change.state.writtenAtMs);
  }
  return tally;
}
