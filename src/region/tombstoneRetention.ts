/**
 * Purges tombstones older than the retention period (24 h by default). Until then a tombstone keeps
 * any older replicated write of its item from bringing it back; replicas are expected to have
 * exchanged everything older than that, as DynamoDB's global tables assume of their streams.
 * Each run reads at most `maxRecords` items per table and the next resumes there: a large table is
 * covered over several runs (a minute apart by default), a small fraction of the retention period.
 */
import type { RegionContext } from '../dynamo/context.js';
import type { TableMeta } from '../dynamo/tables.js';
import { SweepCursors } from '../storage/chunkedScan.js';
import { runPeriodically } from './periodic.js';

const PURGE_RECORDS = 50_000;

export async function purgeTombstones(ctx: RegionContext, cursors = new SweepCursors(ctx.clock), maxRecords = PURGE_RECORDS): Promise<number> {
  const cutoffMs = ctx.clock.trueNowMs() - ctx.settings.tombstoneRetentionMs;
  const tables = ctx.store.read((txn) => txn.listTableNames().map((n) => txn.getTable<TableMeta>(n)!).filter((m) => !m.deleting));
  let purged = 0;
  for (const meta of tables) {
    // Only the keys are kept: a large table is walked, not copied.
    const expired = await cursors.scan(ctx.store, meta.id, (record) => record.item === null && (record.deletedAtMs ?? Infinity) < cutoffMs, { maxRecords });
    if (!expired.length) continue;
    purged += await ctx.store.write((txn) => {
      let count = 0;
      for (const key of expired) {
        const record = txn.getItem(meta.id, key);
        // Re-checked inside the transaction: a write may have revived the item meanwhile.
        if (record && record.item === null && (record.deletedAtMs ?? Infinity) < cutoffMs) {
          txn.removeItem(meta.id, key);
          count += 1;
        }
      }
      return count;
    });
  }
  return purged;
}

export function startTombstoneRetention(ctx: RegionContext): () => void {
  const cursors = new SweepCursors(ctx.clock);
  return runPeriodically(ctx, 'tombstone retention', () => ctx.settings.retentionSweepIntervalMs, () => purgeTombstones(ctx, cursors));
}
