/** What table operations may ask of the region's replication (global tables), without depending on how it works. */
import type { TableMeta } from './tables.js';

export interface ReplicationControl {
  /** Regions this region can reach (its configured peers), not including itself. */
  peerNames(): string[];
  /** Starts creating a replica of the table in another region (after the table's metadata says CREATING for it). */
  createReplica(table: TableMeta, region: string): void;
  /** Starts removing the replica of the table in another region. */
  deleteReplica(table: TableMeta, region: string): void;
  /** This region's replica was deleted with DeleteTable: the other replicas stop replicating with it. */
  tableDeleted(table: TableMeta): void;
}
