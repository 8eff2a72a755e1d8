/**
 * Continuous backups as DynamoDB describes them. Point-in-time recovery is a setting kept with the
 * table: the restorable window it reports is what DynamoDB would offer, but nothing is restored.
 */
import { ContinuousBackupsUnavailableException, TableNotFoundException } from './errors.js';
import { tableStatus, type TableMeta } from './tables.js';
import type { StoreTxn } from '../storage/store.js';

export const DEFAULT_RECOVERY_PERIOD_DAYS = 35;
const DAY_MS = 24 * 60 * 60 * 1000;
/** DynamoDB's latest restorable time trails the present by about five minutes. */
const LATEST_RESTORABLE_LAG_MS = 5 * 60 * 1000;

/** The table as the backup operations see it: a missing (or departing) table is TableNotFoundException. */
export function requireBackupTable(txn: StoreTxn, name: string, nowMs: number): TableMeta {
  const meta = txn.getTable<TableMeta>(name);
  if (!meta || meta.deleting) throw new TableNotFoundException(`Table not found: ${name}`);
  // A new table's backups are still being set up: DynamoDB asks to retry.
  if (tableStatus(meta, nowMs) === 'CREATING') {
    throw new ContinuousBackupsUnavailableException(`Backups are being enabled for the table: ${name}. Please retry later`);
  }
  return meta;
}

export function continuousBackupsDescription(meta: TableMeta, nowMs: number): Record<string, unknown> {
  const pitr = meta.pointInTimeRecovery;
  if (!pitr) return { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } };
  const earliestMs = Math.max(pitr.enabledAtMs, nowMs - pitr.recoveryPeriodInDays * DAY_MS);
  const latestMs = Math.max(earliestMs, nowMs - LATEST_RESTORABLE_LAG_MS);
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: pitr.recoveryPeriodInDays,
      EarliestRestorableDateTime: earliestMs / 1000,
      LatestRestorableDateTime: latestMs / 1000,
    },
  };
}
