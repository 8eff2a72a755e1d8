/** A data directory whose name has a dot in it (as `mktemp -d` makes them) is a directory all the same. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLmdbStore } from '../../src/storage/lmdb.js';

const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

describe('an LMDB store', () => {
  it('opens, writes and reopens in a directory named like tmp.AbC', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'globaltables-path-'));
    dirs.push(parent);
    const dir = join(parent, 'tmp.AbC');
    let store = openLmdbStore(dir);
    await store.write((txn) => txn.putMeta('probe', 42));
    await store.close();
    expect(statSync(join(dir, 'data.mdb')).isFile()).toBe(true);
    store = openLmdbStore(dir);
    expect(store.read((txn) => txn.getMeta('probe'))).toBe(42);
    await store.close();
  });
});
