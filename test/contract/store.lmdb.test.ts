import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLmdbStore } from '../../src/storage/lmdb.js';
import type { Store } from '../../src/storage/store.js';
import { runStoreContract } from './store.contract.js';

runStoreContract('lmdb', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'globaltables-store-'));
  const fixture = {
    store: openLmdbStore(dir) as Store,
    reopen: async () => { await fixture.store.close(); return openLmdbStore(dir); },
    cleanup: async () => { await fixture.store.close(); await rm(dir, { recursive: true, force: true }); },
  };
  return fixture;
});

describe('lmdb durability', () => {
  it('keeps every acknowledged write when the writing process is SIGKILLed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'globaltables-kill-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../helpers/storeWriter.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      const acknowledged: number[] = [];
      let buffer = '';
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          for (const line of lines) if (line) acknowledged.push(Number(line));
          if (acknowledged.length >= 300 && !child.killed) { child.kill('SIGKILL'); }
        });
        child.on('exit', () => resolve());
      });
      expect(acknowledged.length).toBeGreaterThanOrEqual(300);
      const store = openLmdbStore(dir);
      try {
        const logged = new Set(store.changesAfter(0, 1_000_000).map((c) => c.lsn));
        const missing = acknowledged.filter((lsn) => !logged.has(lsn));
        expect(missing).toEqual([]);
        expect(store.lastLsn()).toBeGreaterThanOrEqual(Math.max(...acknowledged));
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
