/**
 * The one place an item changes: stamps the next version, stores the item (or a tombstone) and
 * appends the change record, all inside the caller's transaction (the outbox of DESIGN §4).
 */
import type { Item } from '../../core/types.js';
import { valuesEqual, itemSize } from '../../core/values.js';
import { aboveFloor, nextVersion } from '../../core/version.js';
import { applyLocalWrite, type LocalWrite, type VersionedState } from '../../core/lww.js';
import type { ItemRecord, StoreTxn } from '../../storage/store.js';
import type { RegionContext } from '../context.js';
import { adjustStats, keyShapeOf, type TableMeta } from '../tables.js';
import { updateIndexEntries } from '../indexes/maintain.js';
import { checkIndexKeys } from '../indexes/writeChecks.js';
import { checkCollectionLimit } from '../indexes/collections.js';

export interface ItemChange {
  table: TableMeta;
  /** Encoded storage key of the item. */
  key: Uint8Array;
  /** The item's key attributes (for the change record). */
  keys: Item;
  /** What the store holds now (a tombstone counts as absent). */
  existing: ItemRecord | undefined;
  /** The item to store, or null to delete it. */
  next: Item | null;
  /** UpdateItem changes the attributes it names; PutItem replaces the whole item (matters for attribute-level LWW). */
  update?: boolean;
  /** A delete made by the service itself (TTL expiry). */
  service?: boolean;
  /** An item of a transaction (it replicates as a message of its own). */
  transactionItem?: boolean;
  /** The timestamp the client's request forced (checked by dispatch) instead of the clock's. */
  forcedTimestampMs?: number;
}

function sameItem(a: Item, b: Item): boolean {
  return valuesEqual({ M: a }, { M: b });
}

/** The clock's (or the forced) timestamp; above the table's purge floor for a key with no record. */
function timestampFor(ctx: RegionContext, change: ItemChange): number {
  const ts = change.forcedTimestampMs ?? ctx.clock.nowMs();
  return change.existing ? ts : aboveFloor(ts, change.table.purgedVersion);
}

/** Applies the change; returns false when it changes nothing (then nothing is written or logged). */
export function commitItemChange(ctx: RegionContext, txn: StoreTxn, change: ItemChange): boolean {
  const old = change.existing?.item ?? undefined;
  if (change.next === null && !old) return false;
  if (change.next !== null && old && sameItem(old, change.next)) return false;

  if (change.next !== null) {
    checkIndexKeys(change.table, change.next);
    checkCollectionLimit(txn, change.table, change.next, itemSize(change.next) - (old ? itemSize(old) : 0));
  }
  const shape = keyShapeOf(change.table);
  const nowMs = ctx.clock.trueNowMs();
  const write: LocalWrite = {
    kind: change.next === null ? 'delete' : change.update ? 'update' : 'put',
    item: change.next,
    // In hlc mode nextVersion still never goes back, whatever the forced timestamp.
    version: nextVersion(ctx.clockState, timestampFor(ctx, change), ctx.region),
    origin: ctx.region,
    writtenAtMs: nowMs,
    keyNames: shape.range ? [shape.hash.name, shape.range.name] : [shape.hash.name],
  };
  const state = stampedState(ctx, txn, change, write);
  if (!state) return false;
  storeState(txn, change.table, change.key, change.keys, change.existing, state, nowMs);
  txn.appendChange({
    table: change.table.name,
    eventName: state.item === null ? 'REMOVE' : old ? 'MODIFY' : 'INSERT',
    keys: change.keys,
    ...(old ? { oldImage: old } : {}),
    ...(state.item ? { newImage: state.item } : {}),
    version: state.version,
    ...(change.existing ? { prevVersion: change.existing.version } : {}),
    origin: ctx.region,
    commitTimeMs: nowMs,
    ...(state.attributes ? { attributes: state.attributes } : {}),
    ...(change.service ? { service: true } : {}),
    ...(change.transactionItem ? { transactionItem: true } : {}),
  });
  return true;
}

/** The state the write leaves; a write that lost to a newer version already held is logged as a conflict. */
function stampedState(ctx: RegionContext, txn: StoreTxn, change: ItemChange, write: LocalWrite): VersionedState | undefined {
  const result = applyLocalWrite(change.existing, write, ctx.granularity);
  if (result.lost) {
    ctx.conflicts?.record(txn, { ...result.lost, table: change.table.name, keys: change.keys, detectedIn: ctx.region, detectedAtMs: write.writtenAtMs });
  }
  return result.changed ? result.state : undefined;
}

/**
 * Stores a new state for a key and keeps the table's statistics and secondary indexes (in the
 * same transaction: local writes, TTL deletes and replicated applies all come here). A tombstone (item null) keeps the
 * key attributes, so snapshots for replicas can carry it. `encodedState`: the state's record
 * already encoded, used only when the state is stored as it is.
 */
export function storeState(
  txn: StoreTxn, table: TableMeta, key: Uint8Array, keys: Item, existing: ItemRecord | undefined, state: VersionedState, nowMs: number, encodedState?: Uint8Array,
): void {
  const old = existing?.item ?? undefined;
  // A newer delete over a tombstone restarts its age: retention and stability are about this version.
  const record: ItemRecord = state.item === null ? { ...state, keys, deletedAtMs: nowMs } : state;
  txn.putItem(table.id, key, record, record === state ? encodedState : undefined);
  const oldSize = old ? itemSize(old) : 0;
  const newSize = state.item ? itemSize(state.item) : 0;
  adjustStats(txn, table.id, (state.item ? 1 : 0) - (old ? 1 : 0), newSize - oldSize);
  if (table.indexes?.length && (old || state.item)) updateIndexEntries(txn, table, old, state);
}
