/** The Store seam: items with versions, table metadata and the change log, written atomically. */
import type { Item, Version } from '../core/types.js';
import type { VersionedState } from '../core/lww.js';

/** One stored item, or a tombstone (item === null) that remembers the version of its delete. */
export type ItemRecord = VersionedState & {
  /** When this tombstone (this delete's version) was stored here (true time, ms), so retention can purge it. */
  deletedAtMs?: number;
  /** A tombstone's key attributes (a live item carries them in `item`). */
  keys?: Item;
};

/** What a change log entry says about one write (DESIGN §2, §3). */
export interface ChangeRecord {
  /** Log sequence number: 1, 2, 3, … in commit order, per store. */
  lsn: number;
  table: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
  version: Version;
  /** The version the writer's copy had before the write (absent for a first insert). */
  prevVersion?: Version;
  /** Region whose client accepted the write. */
  origin: string;
  commitTimeMs: number;
  /** True for deletes made by the service itself (TTL expiry). */
  service?: boolean;
  /**
   * An item of a TransactWriteItems: published in a message of its own, so other regions may see
   * the transaction partly applied, as DynamoDB replicates a transaction item by item.
   */
  transactionItem?: boolean;
  /** Attribute-level LWW: the writer's per-attribute versions, so a receiver can merge attribute by attribute. */
  attributes?: VersionedState['attributes'];
}

export type NewChange = Omit<ChangeRecord, 'lsn'>;

export interface RangeOptions {
  /** Inclusive lower bound of the encoded key. */
  start?: Uint8Array;
  /** Exclusive upper bound of the encoded key. */
  end?: Uint8Array;
  reverse?: boolean;
  limit?: number;
}

export interface KeyedRecord {
  key: Uint8Array;
  record: ItemRecord;
}

/**
 * Everything an operation may do inside one transaction. Reads see the transaction's own
 * writes for point lookups (getItem, getTable, getMeta); ranges see the state the transaction
 * started from. Writes become visible to others only when the transaction commits, and not at
 * all if the callback throws.
 */
export interface StoreTxn {
  getTable<T = unknown>(name: string): T | undefined;
  putTable(name: string, meta: unknown): void;
  removeTable(name: string): void;
  listTableNames(): string[];

  getItem(tableId: number, key: Uint8Array): ItemRecord | undefined;
  /** `encoded`: the record already encoded (storage/preEncoded.ts), which a store may write as it is. */
  putItem(tableId: number, key: Uint8Array, record: ItemRecord, encoded?: Uint8Array): void;
  removeItem(tableId: number, key: Uint8Array): void;
  /** Drops every item of a table (used when a table is deleted). */
  clearItems(tableId: number): void;
  range(tableId: number, options?: RangeOptions): Iterable<KeyedRecord>;

  /**
   * Appends to the change log and returns the record's lsn. `encodedTail`: the record's tail
   * fields (table, keys, newImage, version, origin, attributes) already encoded as one map
   * (storage/preEncoded.ts), which a store may use.
   */
  appendChange(change: NewChange, encodedTail?: Uint8Array): number;

  getMeta<T = unknown>(key: string): T | undefined;
  putMeta(key: string, value: unknown): void;
}

export interface Store {
  /** Runs fn in one atomic write transaction; resolves once it is committed (durable). */
  write<T>(fn: (txn: StoreTxn) => T): Promise<T>;
  /** Runs fn against a consistent snapshot; no writes allowed. */
  read<T>(fn: (txn: StoreTxn) => T): T;
  /** Change records with lsn > afterLsn, in order, at most limit of them. */
  changesAfter(afterLsn: number, limit: number): ChangeRecord[];
  /** Highest lsn committed so far (0 when the log is empty). */
  lastLsn(): number;
  /** Removes change records with lsn <= uptoLsn (retention). */
  trimChanges(uptoLsn: number): Promise<void>;
  /** Called after every commit that appended change records, with the last lsn committed. */
  onCommit(listener: (lastLsn: number) => void): () => void;
  close(): Promise<void>;
}
