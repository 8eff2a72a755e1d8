/**
 * Purges tombstones, but never one a replica could still need: a tombstone goes once it is older than
 * the retention (`tombstoneRetentionMs`, 24 h by default) AND, in a global table, once every replica
 * is known to hold its delete and this region has consumed every write the delete beats
 * (TombstoneStability). The retention is a minimum age, not a deadline: a replica partitioned
 * for longer holds every tombstone here until it is back and caught up, so no purge ever lets an
 * older write bring a deleted item back.
 *
 * Each purge raises the table's `purgedVersion`, the newest version of any tombstone it removed:
 * a local write to a key with no record is stamped above it (versions.ts `aboveFloor`), and a
 * replicated write below it for such a key is counted as a possible resurrection.
 * Each run reads at most `maxRecords` items per table and the next resumes there.
 */
import { compareVersions } from '../core/version.js';
import type { Version } from '../core/types.js';
import type { RegionContext } from '../dynamo/context.js';
import type { TableMeta } from '../dynamo/tables.js';
import { notePurged } from '../replication/tombstoneCounts.js';
import type { TombstoneStability } from '../replication/tombstoneStability.js';
import { SweepCursors } from '../storage/chunkedScan.js';
import type { ItemRecord } from '../storage/store.js';
import { runPeriodically } from './periodic.js';

const PURGE_RECORDS = 50_000;
const MIN_SWEEP_INTERVAL_MS = 250;

/** A global table's tombstones wait for stability too; a regional table's only for their age. */
function cutoffFor(ctx: RegionContext, meta: TableMeta, stability: TombstoneStability | undefined): number {
  const aged = ctx.clock.trueNowMs() - ctx.settings.tombstoneRetentionMs;
  const replicated = meta.replicas && Object.keys(meta.replicas).some((r) => r !== ctx.region);
  return replicated && stability ? Math.min(aged, stability.stableBeforeMs) : aged;
}

const purgeable = (record: ItemRecord, cutoffMs: number): boolean => record.item === null && (record.deletedAtMs ?? Infinity) < cutoffMs;

export async function purgeTombstones(ctx: RegionContext, stability?: TombstoneStability, cursors = new SweepCursors(ctx.clock), maxRecords = PURGE_RECORDS): Promise<number> {
  const tables = ctx.store.read((txn) => txn.listTableNames().map((n) => txn.getTable<TableMeta>(n)!).filter((m) => !m.deleting));
  let purged = 0;
  for (const meta of tables) {
    const cutoffMs = cutoffFor(ctx, meta, stability);
    // Only the keys are kept: a large table is walked, not copied.
    const expired = await cursors.scan(ctx.store, meta.id, (record) => purgeable(record, cutoffMs), { maxRecords });
    if (!expired.length) continue;
    purged += await ctx.store.write((txn) => {
      const current = txn.getTable<TableMeta>(meta.name);
      if (!current || current.id !== meta.id || current.deleting) return 0;
      let newest: Version | undefined = current.purgedVersion;
      let count = 0;
      for (const key of expired) {
        const record = txn.getItem(meta.id, key);
        // Re-checked inside the transaction: a write may have revived the item meanwhile.
        if (!record || !purgeable(record, cutoffMs)) continue;
        txn.removeItem(meta.id, key);
        if (!newest || compareVersions(record.version, newest) > 0) newest = record.version;
        count += 1;
      }
      if (count) {
        txn.putTable(meta.name, { ...current, purgedVersion: newest });
        notePurged(txn, count);
      }
      return count;
    });
  }
  return purged;
}

export function startTombstoneRetention(ctx: RegionContext, stability?: TombstoneStability): () => void {
  const cursors = new SweepCursors(ctx.clock);
  // A short retention (a demo, a test) is swept often enough to purge at about the age it names.
  const intervalMs = (): number => Math.min(ctx.settings.retentionSweepIntervalMs, Math.max(MIN_SWEEP_INTERVAL_MS, ctx.settings.tombstoneRetentionMs / 4));
  return runPeriodically(ctx, 'tombstone retention', intervalMs, async () => {
    await stability?.advance();
    return purgeTombstones(ctx, stability, cursors);
  });
}
