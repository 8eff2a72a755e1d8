/**
 * Builds a new global secondary index from the table's items, a chunk at a time on the region's
 * clock (requests and replication are served in between). Writes made meanwhile already maintain
 * the CREATING index, so a chunk only adds the entries of items that have none yet; the last chunk
 * makes the index ACTIVE.
 */
import { matchingKeys, yieldTurnOf } from '../../storage/chunkedScan.js';
import type { StoreTxn } from '../../storage/store.js';
import type { RegionContext } from '../context.js';
import { adjustStats, type TableMeta } from '../tables.js';
import { itemSize } from '../../core/values.js';
import { entryOf } from './maintain.js';
import { findIndex, type IndexMeta } from './indexMeta.js';

const CHUNK_RECORDS = 500;

/** The index as it is now, if it is still the one being built (not deleted or replaced meanwhile). */
function stillBuilding(txn: StoreTxn, tableName: string, indexId: number): { table: TableMeta; index: IndexMeta } | undefined {
  const table = txn.getTable<TableMeta>(tableName);
  const index = table?.indexes?.find((candidate) => candidate.id === indexId);
  return table && !table.deleting && index?.status === 'CREATING' ? { table, index } : undefined;
}

function addEntries(txn: StoreTxn, table: TableMeta, index: IndexMeta, keys: Uint8Array[]): void {
  for (const key of keys) {
    const record = txn.getItem(table.id, key);
    if (!record?.item) continue;
    const entry = entryOf(table, index, record.item, record);
    if (!entry || txn.getItem(index.id, entry.key)) continue;
    txn.putItem(index.id, entry.key, entry.record);
    adjustStats(txn, index.id, 1, itemSize(entry.record.item!));
  }
}

/** Backfills the index; resolves when it is ACTIVE, or when it stopped being built. */
export async function backfillIndex(ctx: RegionContext, tableName: string, indexName: string): Promise<void> {
  const found = ctx.store.read((txn) => {
    const table = txn.getTable<TableMeta>(tableName);
    const index = table ? findIndex(table, indexName) : undefined;
    return table && index?.status === 'CREATING' ? { tableId: table.id, indexId: index.id } : undefined;
  });
  if (!found) return;
  const yieldTurn = yieldTurnOf(ctx.clock);
  let start: Uint8Array | undefined;
  for (;;) {
    const { keys, next } = await matchingKeys(ctx.store, yieldTurn, found.tableId, (record) => record.item !== null,
      { maxRecords: CHUNK_RECORDS, chunkSize: CHUNK_RECORDS, ...(start ? { start } : {}) });
    const building = await ctx.store.write((txn) => {
      const current = stillBuilding(txn, tableName, found.indexId);
      if (current) addEntries(txn, current.table, current.index, keys);
      if (current && !next) {
        const { status: _done, ...active } = current.index;
        txn.putTable(tableName, { ...current.table, indexes: current.table.indexes!.map((index) => (index.id === found.indexId ? active : index)) });
      }
      return Boolean(current);
    });
    if (!building || !next) return;
    start = next;
    await yieldTurn();
  }
}

/** Starts a backfill in the background; a store closed under it ends it (a restart resumes it). */
export function runBackfill(ctx: RegionContext, table: string, index: string): void {
  void backfillIndex(ctx, table, index).catch(() => undefined);
}
