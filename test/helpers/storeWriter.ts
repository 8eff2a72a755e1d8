/** Child process for the durability test: writes forever, printing each acknowledged lsn. */
import { openLmdbStore } from '../../src/storage/lmdb.js';

const store = openLmdbStore(process.argv[2]);
let n = 0;
for (;;) {
  const batch = Array.from({ length: 8 }, () => {
    n += 1;
    const i = n;
    return store.write((txn) => {
      txn.putItem(1, new TextEncoder().encode(`k${i}`), { item: { pk: { S: `k${i}` } }, version: { ts: i, counter: 0, region: 'r' }, origin: 'r', writtenAtMs: i });
      return txn.appendChange({ table: 't', eventName: 'INSERT', keys: { pk: { S: `k${i}` } }, version: { ts: i, counter: 0, region: 'r' }, origin: 'r', commitTimeMs: i });
    });
  });
  for (const lsn of await Promise.all(batch)) process.stdout.write(`${lsn}\n`);
}
