import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { MemoryChangeBus } from '../../src/bus/memoryBus.js';
import { streamName } from '../../src/bus/wire.js';
import { NatsChangeBus } from '../../src/bus/natsBus.js';
import { startNatsServer, type RunningNatsServer } from '../../src/nats/launcher.js';
import { NatsChangeSource } from '../../src/replication/natsChangeSource.js';
import { SimChangeSource } from '../../src/sim/changeSource.js';
import { runChangeSourceContract } from './changeSource.contract.js';
import { settleOnClock, TestNet } from './simNet.js';

let server: RunningNatsServer;
let dir: string;
let streams = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'source-contract-'));
  server = await startNatsServer({ storeDir: dir });
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A case that restarts the server brings it back on the same ports and store, where clients look for it. */
async function restartServer(): Promise<void> {
  server = await startNatsServer({ storeDir: dir, port: server.port, monitorPort: server.monitorPort });
}

runChangeSourceContract('NATS JetStream (worker thread)', async () => {
  // Each case gets a stream of its own: a region name nobody else uses.
  streams += 1;
  const source = `src${streams}`;
  const connectBus = async (): Promise<NatsChangeBus> => NatsChangeBus.connect({ url: server.url, region: source });
  let bus = await connectBus();
  let closing = Promise.resolve();
  await bus.ensureStream();
  return {
    source,
    get bus() { return bus; },
    changeSource: (options) => new NatsChangeSource(server.url, { source, ...options }),
    settle: (promise) => promise,
    // Long enough for anything the worker had room for to have come: what has not is held back.
    quiet: () => new Promise((resolve) => setTimeout(resolve, 500)),
    busDown: () => server.kill(),
    trim: async (uptoSeq) => {
      const connection = await connect({ servers: server.url });
      await (await jetstreamManager(connection)).streams.purge(streamName(source), { seq: uptoSeq + 1 });
      await connection.close();
    },
    busUp: async () => {
      await restartServer();
      // The publisher's old connection may not have noticed the crash yet (a publish on it would
      // wait out its time-out): the region's publisher would retry, here a new client is quicker.
      const old = bus;
      bus = await connectBus();
      closing = old.close().catch(() => undefined);
    },
    close: async () => {
      await closing;
      await bus.close();
    },
  };
});

runChangeSourceContract('simulated (memory bus, simulated network, virtual time)', async () => {
  const clock = new ManualClock();
  const net = new TestNet(clock);
  const bus = new MemoryChangeBus();
  const source = 'src';
  return {
    source,
    bus,
    changeSource: (options) => new SimChangeSource({ source, target: 'dst', bus, net, clock, ...options }),
    settle: (promise) => settleOnClock(clock, promise),
    quiet: async () => clock.advance(60_000),
    busDown: async () => { bus.down = true; },
    busUp: async () => { bus.down = false; },
    trim: async (uptoSeq) => bus.trim(uptoSeq),
    close: async () => {},
  };
});
