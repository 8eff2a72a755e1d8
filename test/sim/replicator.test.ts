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
import { checkpointKey, readPosition, RECEIVE_LIMITS, Replicator, writeProgress } from '../../src/replication/replicator.js';
import { SimChangeSource } from '../../src/sim/changeSource.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { publish, publishGroup } from '../contract/changeSource.contract.js';
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
    resync: async (position) => {
      resyncs += 1;
      const { lastSeq } = bus.bounds();
      await store.write((txn) => writeProgress(txn, SOURCE, lastSeq, { seq: position }));
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
  return { clock, net, bus, store, replicator, metrics, reach, pass, publishRange, checkpoint, resyncs: () => resyncs };
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

  it('applies groups whole, passes over changes at or below its checkpoint that come again, and counts what is pending in changes', async () => {
    const { bus, store, replicator, metrics, reach, pass, checkpoint } = setup();
    // Changes 1–10 in three messages; 4–5 are another region's (never read).
    await publishGroup({ source: SOURCE, bus }, 1, [1, 2, 3], { ownCount: 3 });
    await publishGroup({ source: SOURCE, bus }, 2, [4, 5], { origin: 'elsewhere', ownCount: 3 });
    await publishGroup({ source: SOURCE, bus }, 3, [6, 7, 8, 9, 10], { ownCount: 8 });
    replicator.start();
    // Every change considered once (the table is not shared here, so each is counted as ignored).
    const considered = (): number => metrics.applied + metrics.skipped + metrics.ignored;
    await reach(10);
    expect(considered()).toBe(8);
    expect(store.read((txn) => readPosition(txn, SOURCE))).toEqual({ seq: 3, ownCount: 8 });
    // A publisher that lost its stream's last message publishes 9–12 again under new sequences.
    await publishGroup({ source: SOURCE, bus }, 4, [9, 10, 11, 12], { ownCount: 12 });
    await reach(12);
    expect(considered()).toBe(10);
    expect(checkpoint()).toBe(12);
    // The source's heartbeat says 30 own changes are in its stream: 18 more than applied here.
    metrics.heard({ region: SOURCE, committedLsn: 40, publishedLsn: 40, ownLsn: 40, ownCount: 30, stuck: null, unpublished: null, sentAtMs: 0 });
    expect(metrics.status().pending).toBe(18);
    await pass(100);
    await replicator.stop();
  });
});
