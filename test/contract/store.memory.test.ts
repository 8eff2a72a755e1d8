import { createMemoryStore, memoryDataOf } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';
import { runStoreContract } from './store.contract.js';

runStoreContract('memory', async () => {
  const fixture = {
    store: createMemoryStore() as Store,
    // A new store on the committed data of the old one: how the simulator restarts a region.
    reopen: async () => { await fixture.store.close(); return createMemoryStore({ data: memoryDataOf(fixture.store) }); },
    cleanup: () => fixture.store.close(),
  };
  return fixture;
});
