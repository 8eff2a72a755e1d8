/** The LMDB environment of a region data dir and its databases, opened only if their key layout (and key, if encrypted) is this version's. */
import { open, type Database, type DatabaseOptions, type RootDatabase } from 'lmdb';
import { checkKeyLayout } from './keyLayout.js';
import { checkBeforeOpen, checkKeyEntry, type StoreEncryption } from './storeEncryption.js';
import { NameSafePackr } from './nameSafePackr.js';
import type { ChangeRecord, ItemRecord } from './store.js';

export interface Databases {
  root: RootDatabase;
  items: Database<ItemRecord, Buffer>;
  tables: Database<unknown, string>;
  meta: Database<unknown, string>;
  changes: Database<ChangeRecord, number>;
}

/** Every key of a stored object read back as written, `__proto__` included (nameSafePackr.ts). */
const NAME_SAFE = { encoder: { Encoder: NameSafePackr } } as DatabaseOptions;
/** msgpackr's `useRecords` (passed through by lmdb, though its types do not list it). */
const PLAIN_MAPS = { useRecords: false, ...NAME_SAFE } as DatabaseOptions;

function environmentOptions(path: string, durability: 'process' | 'fsync', encryption?: StoreEncryption) {
  return { path, noSubdir: false, pageSize: 8192, maxDbs: 8, useWritemap: true, noSync: durability !== 'fsync', ...(encryption ? { encryptionKey: encryption.lmdbKey } : {}) };
}

/**
 * The change log and the meta database of an environment this process already has open (its
 * region's store), for another thread of it to read: LMDB shares the environment between threads,
 * and each reader sees what was committed when it began.
 */
export function openChangeLogReader(path: string, durability: 'process' | 'fsync', encryption?: StoreEncryption): Pick<Databases, 'root' | 'meta' | 'changes'> {
  const root = open(environmentOptions(path, durability, encryption));
  return {
    root,
    meta: root.openDB<unknown, string>({ name: 'meta', ...NAME_SAFE }),
    changes: root.openDB<ChangeRecord, number>('changes', { keyEncoding: 'uint32', ...PLAIN_MAPS }),
  };
}

export function openDatabases(path: string, durability: 'process' | 'fsync', encryption?: StoreEncryption): Databases {
  checkBeforeOpen(path, encryption);
  // noSync: a commit is in the OS page cache before it is acknowledged, so it survives a crash
  // (SIGKILL) of this process; only a crash of the machine itself could lose recent commits.
  // useWritemap: pages are written in the shared mapping instead of copied and written out at
  // commit; items live at hashed keys, so nearly every put dirties a page of its own, and a
  // replication batch commits about a third faster. An encrypted environment ignores it: its pages
  // are encrypted on their way to the file (ChaCha8), never written in place.
  // The path is a directory, whatever its name: lmdb takes a name with a dot for a file's.
  const root = open(environmentOptions(path, durability, encryption));
  const dbs: Databases = {
    root,
    // Plain msgpack maps: items and change records come in many shapes, and defining a record
    // structure for each costs more than it saves (records written either way read back alike).
    items: root.openDB<ItemRecord, Buffer>('items', { keyEncoding: 'binary', ...PLAIN_MAPS }),
    tables: root.openDB<unknown, string>({ name: 'tables', ...NAME_SAFE }),
    meta: root.openDB<unknown, string>({ name: 'meta', ...NAME_SAFE }),
    changes: root.openDB<ChangeRecord, number>('changes', { keyEncoding: 'uint32', ...PLAIN_MAPS }),
  };
  try {
    checkKeyEntry(path, dbs.meta, encryption);
    checkKeyLayout(path, dbs);
  } catch (error) {
    void root.close();
    throw error;
  }
  return dbs;
}

/** Change records with lsn > afterLsn, at most limit of them, none past `committedLsn`, each with its lsn. */
export function readChanges(changes: Databases['changes'], afterLsn: number, limit: number, committedLsn: number): ChangeRecord[] {
  const out: ChangeRecord[] = [];
  for (const { key, value } of changes.getRange({ start: afterLsn + 1, limit })) {
    if (key > committedLsn) break;
    // Records are stored without their lsn, which is their key.
    value.lsn = key;
    out.push(value);
  }
  return out;
}
