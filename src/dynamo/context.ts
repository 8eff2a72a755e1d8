/** What every operation runs against: one region's store, clock and settings. */
import type { Clock } from '../clock/clock.js';
import type { IdSource } from '../core/ids.js';
import type { ClockState } from '../core/version.js';
import type { Granularity } from '../core/lww.js';
import type { ConflictRecorder, ReplicationControl } from './replicationControl.js';
import type { Store } from '../storage/store.js';

export interface RegionSettings {
  /** How long a new table stays CREATING (ms). */
  createTableMs: number;
  /** How long a deleted table stays DELETING before it disappears (ms). */
  deleteTableMs: number;
  /** How long UpdateTable leaves a table UPDATING (ms). */
  updateTableMs: number;
  /** How often the TTL sweeper looks for expired items (ms). */
  ttlSweepIntervalMs: number;
  /** How long tombstones are kept (ms). */
  tombstoneRetentionMs: number;
  /** How long change records stay in the change log and the streams (ms). */
  changeRetentionMs: number;
  /** How often the change log is trimmed (ms). */
  retentionSweepIntervalMs: number;
}

export const DEFAULT_SETTINGS: RegionSettings = {
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
  ttlSweepIntervalMs: 2_000,
  tombstoneRetentionMs: 24 * 60 * 60 * 1000,
  changeRetentionMs: 24 * 60 * 60 * 1000,
  retentionSweepIntervalMs: 60_000,
};

export interface RegionContext {
  region: string;
  accountId: string;
  store: Store;
  clock: Clock;
  clockState: ClockState;
  /** Table ids and other identifiers (seeded in the simulator). */
  ids: IdSource;
  settings: RegionSettings;
  /** Last-writer-wins granularity of this region's tables (all regions of a cluster agree on it). */
  granularity: Granularity;
  /** Global tables; absent when the region does not replicate (no change stream). */
  replication?: ReplicationControl;
  /** The conflict log (a local write can lose at once, when a wall clock runs behind the item's version). */
  conflicts?: ConflictRecorder;
  /** Everything the region keeps on disk is encrypted with its key (its store and its own JetStream store). */
  encryptedAtRest?: boolean;
}
