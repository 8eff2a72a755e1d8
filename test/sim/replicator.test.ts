/**
 * The real Replicator over the simulated ChangeSource, on virtual time: it follows the source's
 * stream to the end through a lossy network and a crash of the source's bus, retrying on the
 * region's clock, and resyncs when the source trimmed what it had not applied.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { MemoryChangeBus } from '../../src/bus/memoryBus.js';
import { initialClockState } from '../../src/core/version.js';
import { DEFAULT_SETTINGS, type RegionContext } from '../../src/dynamo/context.js';
import { ConflictLog } from '../../src/replication/conflicts.js';
import { PairMetrics } from '../../src/replication/metrics.js';
import { checkpointKey, RECEIVE_LIMITS, Replicator } from '../../src/replication/replicator.js';
import { SimChangeSource } from '../../src/sim/changeSource.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { publish } from '../contract/changeSource.contract.js';
import { TestNet } from '../contract/simNet.js';

const SOURCE = 'src';
const TARGET = 'dst';

function setup() {
  const clock = new ManualClock();
  const net = new TestNet(clock);
  const bus = new MemoryChangeBus();
  const store = createMemoryStore();
  const ctx: RegionContext = {
    region: TARGET, accountId: '000000000000', store, clock, clockState: initialClockState(TARGET), ids: { uuid: () => '00000000-0000-4000-8000-000000000000' },
    settings: DEFAULT_SETTINGS, granularity: 'item',
  };
  const metrics = new PairMetrics(SOURCE, () => clock.trueNowMs());
  const changeSource = new SimChangeSource({ source: SOURCE, target: TARGET, bus, net, clock, ...RECEIVE_LIMITS, onHeartbeat: (heartbeat) => metrics.heard(heartbeat) });
  let resyncs = 0;
  const replicator = new Replicator({
    ctx, source: SOURCE, changeSource, conflicts: new ConflictLog((fn) => store.read(fn)), metrics,
    // Nothing is shared with the source here: a resync resumes after what it holds now.
    resync: async () => {
      resyncs += 1;
      const { lastSeq } = bus.bounds();
      await store.write((txn) => txn.putMeta(checkpointKey(SOURCE), lastSeq));
      return lastSeq;
    },
  });
  const checkpoint = (): number => store.read((txn) => txn.getMeta<number>(checkpointKey(SOURCE))) ?? 0;
  /** Lets virtual time pass, with the store's commits in between, until the checkpoint reaches `seq`. */
  const reach = async (seq: number, limitMs = 600_000): Promise<void> => {
    for (let elapsedMs = 0; checkpoint() < seq; elapsedMs += 10) {
      if (elapsedMs > limitMs) throw new Error(`checkpoint ${checkpoint()} did not reach ${seq} within ${limitMs} ms of virtual time`);
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(10);
    }
  };
  const pass = async (ms: number): Promise<void> => {
    for (let elapsedMs = 0; elapsedMs < ms; elapsedMs += 10) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(10);
    }
  };
  const publishRange = async (from: number, to: number): Promise<void> => {
    for (let lsn = from; lsn <= to; lsn += 1) await publish({ source: SOURCE, bus }, lsn);
  };
  return { clock, net, bus, replicator, metrics, reach, pass, publishRange, checkpoint, resyncs: () => resyncs };
}

describe('a replicator over the simulated change source', () => {
  it('follows the stream through lost messages and a crash of the source\'s bus, and resyncs when the source trimmed past its checkpoint', async () => {
    const { net, bus, replicator, metrics, reach, pass, publishRange, checkpoint, resyncs } = setup();
    await publishRange(1, 1500);
    let sent = 0;
    net.fate = () => ((sent += 1) % 97 === 0 ? 'drop' : 'deliver');
    replicator.start();
    await reach(1500);
    expect(metrics.connected).toBe(true);

    // Down for a while: the session ends, and the replicator keeps trying, on the clock.
    bus.down = true;
    await pass(5000);
    expect(metrics.connected).toBe(false);
    bus.down = false;
    await publishRange(1501, 1600);
    await reach(1600);
    expect(resyncs()).toBe(0);

    // Cut off (the session goes stale) while the source goes on and trims what it has not read yet.
    net.fate = () => 'drop';
    await pass(5000);
    expect(metrics.connected).toBe(false);
    await publishRange(1601, 1700);
    bus.trim(1650);
    net.fate = () => 'deliver';
    await reach(1700);
    expect(resyncs()).toBe(1);
    expect(checkpoint()).toBe(1700);
    await replicator.stop();
  });
});
