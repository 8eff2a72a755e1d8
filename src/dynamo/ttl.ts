/** Time to live: which items have expired, and their removal as service deletes. */
import { own, setOwn } from '../core/plainData.js';
import type { Item } from '../core/types.js';
import { compareNumbers } from '../core/decimal.js';
import type { RegionContext } from './context.js';
import { SweepCursors } from '../storage/chunkedScan.js';
import { commitItemChange } from './items/commit.js';
import { keyShapeOf, type TableMeta } from './tables.js';

/** DynamoDB ignores expiry times more than five years in the past (they are likely not epoch seconds). */
const IGNORE_OLDER_THAN_S = 5 * 365 * 24 * 60 * 60;
const SWEEP_BATCH = 500;
/**
 * Records one sweep reads per table: a large table is swept over several runs, each resuming where
 * the last stopped, so the sweep's cost stays bounded (DynamoDB, too, deletes expired items within
 * days, not at once).
 */
const SWEEP_RECORDS = 20_000;

export function isExpired(item: Item, attributeName: string, nowS: number): boolean {
  const value = own(item, attributeName);
  if (!value || !('N' in value)) return false;
  return compareNumbers(value.N, String(nowS)) < 0 && compareNumbers(value.N, String(nowS - IGNORE_OLDER_THAN_S)) > 0;
}

/**
 * Deletes up to SWEEP_BATCH expired items per table; returns how many it deleted. `cursors`: where
 * each table's next sweep resumes (kept by the caller from one sweep to the next).
 */
export async function sweepExpiredItems(ctx: RegionContext, cursors = new SweepCursors(ctx.clock)): Promise<number> {
  const nowS = Math.floor(ctx.clock.nowMs() / 1000);
  const tables = ctx.store.read((txn) => txn.listTableNames()
    .map((name) => txn.getTable<TableMeta>(name)!)
    .filter((meta) => meta.ttl?.enabled && !meta.deleting));
  let deleted = 0;
  for (const meta of tables) {
    const attribute = meta.ttl!.attributeName;
    const expired = await cursors.scan(ctx.store, meta.id, (record) => record.item !== null && isExpired(record.item, attribute, nowS), { limit: SWEEP_BATCH, maxRecords: SWEEP_RECORDS });
    if (!expired.length) continue;
    const shape = keyShapeOf(meta);
    deleted += await ctx.store.write((txn) => {
      let count = 0;
      for (const key of expired) {
        const existing = txn.getItem(meta.id, key);
        // Re-checked inside the transaction: a client may have rewritten the item meanwhile.
        if (!existing?.item || !isExpired(existing.item, attribute, nowS)) continue;
        const keys: Item = { [shape.hash.name]: own(existing.item, shape.hash.name)! };
        if (shape.range) setOwn(keys, shape.range.name, own(existing.item, shape.range.name)!);
        if (commitItemChange(ctx, txn, { table: meta, key, keys, existing, next: null, service: true })) count += 1;
      }
      return count;
    });
  }
  return deleted;
}
