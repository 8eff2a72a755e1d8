import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryChangeBus } from '../../src/bus/memoryBus.js';
import { NatsChangeBus } from '../../src/bus/natsBus.js';
import { startNatsServer, type RunningNatsServer } from '../../src/nats/launcher.js';
import { runChangeBusContract } from './changeBus.contract.js';

let server: RunningNatsServer;
let dir: string;
let region = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bus-contract-'));
  server = await startNatsServer({ storeDir: dir });
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

runChangeBusContract('memory', async () => ({ bus: new MemoryChangeBus(), region: 'r' }));
// Each case gets a stream of its own: a region name nobody else uses.
runChangeBusContract('NATS JetStream', async () => {
  region += 1;
  return { bus: await NatsChangeBus.connect({ url: server.url, region: `r${region}` }), region: `r${region}` };
});
