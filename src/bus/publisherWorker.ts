/**
 * A region's publisher on a thread of its own: the same Publisher, reading the change log through
 * LMDB's shared environment and publishing on a NATS connection of its own, so the region's thread
 * pays neither for reading its writes back and encoding them nor for the acknowledgements. The
 * region's thread says what it committed and writes the publisher's position (publisherThread.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SystemClock } from '../clock/clock.js';
import { openChangeLogReader, readChanges } from '../storage/lmdbDatabases.js';
import type { StoreTxn } from '../storage/store.js';
import { NatsChangeBus } from './natsBus.js';
import { Publisher, type PublisherStore } from './publisher.js';
import { publisherLogging } from './publisherLog.js';
import type { FromPublisherWorker, PublisherWorkerData, ToPublisherWorker } from './publisherThreadProtocol.js';

const data = workerData as PublisherWorkerData;
const port = parentPort!;
const post = (message: FromPublisherWorker): void => port.postMessage(message);

const dbs = openChangeLogReader(data.dataDir, data.durability, data.encryption);
let committedLsn = data.committedLsn;
/** The lsn the last read saw committed: a later commit needs a fresh snapshot. */
let readAtLsn = -1;
const commitListeners = new Set<(lastLsn: number) => void>();
const saves = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let saveIds = 0;

/** Reads see what is committed now, not what was when this thread last read. */
function freshSnapshot(): void {
  if (readAtLsn === committedLsn) return;
  dbs.root.resetReadTxn();
  readAtLsn = committedLsn;
}

/** The Store calls a publisher makes: meta entries read here, written by the region's thread. */
const store: PublisherStore = {
  read(fn) {
    freshSnapshot();
    return fn({ getMeta: (key: string) => dbs.meta.get(key) } as unknown as StoreTxn);
  },
  write(fn) {
    const entries: [string, unknown][] = [];
    const result = fn({ putMeta: (key: string, value: unknown) => { entries.push([key, value]); } } as unknown as StoreTxn);
    const id = ++saveIds;
    post({ type: 'save', id, entries });
    return new Promise((resolve, reject) => saves.set(id, { resolve: () => resolve(result), reject }));
  },
  changesAfter(afterLsn, limit) {
    freshSnapshot();
    return readChanges(dbs.changes, afterLsn, limit, committedLsn);
  },
  lastLsn: () => committedLsn,
  onCommit(listener) {
    commitListeners.add(listener);
    return () => commitListeners.delete(listener);
  },
};

const clock = new SystemClock();
const logging = publisherLogging((message) => post({ type: 'log', message }), () => clock.trueNowMs());
/** How long to wait before trying an unreachable nats-server again. */
const CONNECT_RETRY_MS = 250;
let publisher: Publisher | undefined;
let bus: NatsChangeBus | undefined;
let stopping = false;
let observing = false;

const postStatus = (): void => { if (publisher) post({ type: 'status', status: publisher.status() }); };
const observe = (): void => { publisher?.observe((commitTimesMs, ackedAtMs) => post({ type: 'acked', commitTimesMs, ackedAtMs })); };

/** Its nats-server may be down when the thread starts (killed as a fault): it is tried until it answers. */
async function connectBus(): Promise<NatsChangeBus | undefined> {
  while (!stopping) {
    try {
      return await NatsChangeBus.connect({ url: data.natsUrl, region: data.region });
    } catch (error) {
      logging.onError(error);
      await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS));
    }
  }
  return undefined;
}

async function stop(): Promise<void> {
  stopping = true;
  await publisher?.stop();
  postStatus();
  await bus?.close();
  // The environment is the region's too: this thread lets go of its share before it ends.
  await dbs.root.close();
  post({ type: 'stopped' });
}

port.on('message', (message: ToPublisherWorker) => {
  switch (message.type) {
    case 'commit':
      committedLsn = Math.max(committedLsn, message.lsn);
      for (const listener of commitListeners) listener(committedLsn);
      return;
    case 'saved': {
      const save = saves.get(message.id);
      saves.delete(message.id);
      if (message.error === undefined) save?.resolve();
      else save?.reject(new Error(message.error));
      return;
    }
    case 'observe':
      observing = true;
      return observe();
    case 'stop':
      void stop();
  }
});

bus = await connectBus();
if (bus && !stopping) {
  publisher = new Publisher({
    region: data.region,
    store,
    bus,
    clock,
    shouldYield: () => Atomics.load(data.yieldFlag, 0) === 1,
    onError: logging.onError,
    onStuck: (stuck, previous) => {
      logging.onStuck(stuck, previous);
      postStatus();
    },
    onProgress: postStatus,
  });
  if (observing) observe();
  publisher.start();
  postStatus();
}
