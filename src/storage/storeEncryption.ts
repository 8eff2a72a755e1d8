/**
 * Whether a data directory is encrypted, and with which key, checked before LMDB opens it: LMDB
 * given the wrong key (or a key for plain data, or no key for encrypted data) reads pages it
 * cannot make sense of, and may crash the process instead of failing. So the encryption flag is
 * read from the file's header, and the key is compared with the check value recorded beside the
 * data when it was created; once open, the same check value inside the store must match too.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'lmdb';

/** What a store needs to be opened encrypted: LMDB's key and the check value of the region key. */
export interface StoreEncryption {
  lmdbKey: string;
  keyCheck: string;
}

export type StoreKeyProblem = 'wrongKey' | 'notEncrypted' | 'encrypted' | 'unverifiable';

const ADVICE: Record<StoreKeyProblem, string> = {
  wrongKey: 'is encrypted with another key: start the region with the key file it was created with',
  notEncrypted: 'is not encrypted, and the region was given an encryption key: start it without one, or with an empty data ' +
    'directory (its tables can replicate from a peer region) to have the data encrypted',
  encrypted: 'is encrypted: start the region with its key (--encryption-key-file, or encryptionKeyFile in the region file)',
  unverifiable: 'is encrypted, and the check value of its key (encryption.json, written beside data.mdb when the data was created) ' +
    'is missing or unreadable: without it the key cannot be checked before LMDB reads the data with it. Put the file back ' +
    '(a copy of the directory holds it)',
};

export class StoreKeyError extends Error {
  constructor(readonly path: string, readonly problem: StoreKeyProblem, options?: { cause?: unknown }) {
    super(`The data in ${path} ${ADVICE[problem]}.`, options);
    this.name = 'StoreKeyError';
  }
}

/** Beside data.mdb, readable without the key; the key's check value, never the key. */
const CHECK_FILE = 'encryption.json';
const KEY_CHECK_ENTRY = 'store:keyCheck';

// LMDB's meta page (lmdb.h, mdb.c): the magic number after the 24-byte page header, and the
// environment's persistent flags in the free-space database's md_flags.
const MAGIC_OFFSET = 0x18;
const LMDB_MAGIC = 0xbeefc0de;
const FLAGS_OFFSET = 0x34;
const MDB_ENCRYPT = 0x2000;

/** Whether data.mdb says it is encrypted; undefined for a store not created yet, or a file LMDB alone can judge. */
export function storedEncryption(path: string): boolean | undefined {
  const file = join(path, 'data.mdb');
  if (!existsSync(file)) return undefined;
  const header = Buffer.alloc(FLAGS_OFFSET + 2);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, header, 0, header.length, 0) < header.length) return undefined;
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32LE(MAGIC_OFFSET) !== LMDB_MAGIC) return undefined;
  return (header.readUInt16LE(FLAGS_OFFSET) & MDB_ENCRYPT) !== 0;
}

function recordedKeyCheck(path: string): string | undefined {
  try {
    const recorded = JSON.parse(readFileSync(join(path, CHECK_FILE), 'utf8')) as { keyCheck?: unknown };
    return typeof recorded.keyCheck === 'string' ? recorded.keyCheck : undefined;
  } catch {
    return undefined;
  }
}

/** Refuses a store that the key (or its absence) does not fit; records the check value of a new encrypted one. */
export function checkBeforeOpen(path: string, encryption: StoreEncryption | undefined): void {
  const encrypted = storedEncryption(path);
  if (encrypted === undefined) {
    if (encryption && !existsSync(join(path, 'data.mdb'))) {
      writeFileSync(join(path, CHECK_FILE), `${JSON.stringify({ cipher: 'ChaCha8', keyCheck: encryption.keyCheck })}\n`);
    }
    return;
  }
  if (encrypted && !encryption) throw new StoreKeyError(path, 'encrypted');
  if (!encrypted && encryption) throw new StoreKeyError(path, 'notEncrypted');
  if (!encryption) return;
  const recorded = recordedKeyCheck(path);
  // LMDB given a wrong key reads garbage and may crash the process: no key is tried unchecked.
  if (recorded === undefined) throw new StoreKeyError(path, 'unverifiable');
  if (recorded !== encryption.keyCheck) throw new StoreKeyError(path, 'wrongKey');
}

/** The check value inside the open store: recorded in a new one, compared in an existing one (a check file from another directory). */
export function checkKeyEntry(path: string, meta: Database<unknown, string>, encryption: StoreEncryption | undefined): void {
  if (!encryption) return;
  const recorded = meta.get(KEY_CHECK_ENTRY);
  if (recorded === undefined) meta.putSync(KEY_CHECK_ENTRY, encryption.keyCheck);
  else if (recorded !== encryption.keyCheck) throw new StoreKeyError(path, 'wrongKey');
}
