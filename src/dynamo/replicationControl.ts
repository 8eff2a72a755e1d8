/** What table operations may ask of the region's replication (global tables), without depending on how it works. */
import type { IndexChangeRequest } from './indexes/indexSync.js';
import type { ReplicaStatus, StreamSpecification, TableMeta } from './tables.js';
import type { ReplicaSettingsChange } from './replicaSettings.js';
import type { StoreTxn } from '../storage/store.js';
import type { ConflictEntry } from '../replication/conflicts.js';

/** Where conflicts are logged, in the transaction of the write that lost or won. */
export interface ConflictRecorder {
  record(txn: StoreTxn, entry: Omit<ConflictEntry, 'seq'>): unknown;
}

export interface ReplicationControl {
  /** Regions this region can reach (its configured peers), not including itself. */
  peerNames(): string[];
  /** Starts creating a replica of the table in another region (after the table's metadata says CREATING for it). */
  createReplica(table: TableMeta, region: string): void;
  /** Starts removing the replica of the table in another region. */
  deleteReplica(table: TableMeta, region: string): void;
  /** This region's replica was deleted with DeleteTable: the other replicas stop replicating with it. */
  tableDeleted(table: TableMeta): void;
  /** Another region's table as legacy global tables (2017.11.29) check it before it joins; undefined when it has none. */
  peerTable(region: string, table: string): Promise<PeerTable | undefined>;
  /**
   * Tells `regions` a legacy global table's membership and waits until each has stored it; a listed
   * region not in `members` leaves, its table becoming regional again.
   */
  announceLegacyMembership(table: string, members: Record<string, ReplicaStatus>, regions: string[]): Promise<void>;
  /** Changes the capacity settings of another region's replica of the table and waits until it has stored them. */
  changeReplicaSettings(region: string, table: string, change: ReplicaSettingsChange): Promise<void>;
  /** One of a global table's indexes was created or deleted here: every other replica does the same (in the background). */
  indexChanged(table: TableMeta, change: IndexChangeRequest): void;
}

/** What a region answers about one of its tables to a peer (GET /admin/tables/:name). */
export interface PeerTable {
  name: string;
  keySchema: TableMeta['keySchema'];
  attributeDefinitions: TableMeta['attributeDefinitions'];
  itemCount: number;
  streamSpecification?: StreamSpecification;
  replicas?: Record<string, ReplicaStatus>;
  globalTableVersion?: TableMeta['globalTableVersion'];
  /** The replica's capacity settings (what DescribeGlobalTableSettings reports of it). */
  billingMode?: TableMeta['billingMode'];
  throughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  /** Names of the table's secondary indexes, when it has any. */
  indexes?: string[];
}
