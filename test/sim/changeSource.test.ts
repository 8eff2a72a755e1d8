/**
 * The simulated ChangeSource under the network's faults, on virtual time: what the contract
 * suite cannot do to a real nats-server (lose, repeat or hold single messages), and that the
 * outcome of a seeded run is the same every time.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { heartbeatSubject, type Heartbeat } from '../../src/bus/heartbeat.js';
import { BusUnavailableError, MemoryChangeBus } from '../../src/bus/memoryBus.js';
import type { ChangeSession, ReceivedBatch, SessionEvent } from '../../src/replication/changeSource.js';
import { CONNECT_TIMEOUT_MS, MESSAGE_OVERHEAD_BYTES } from '../../src/sim/changeSession.js';
import { ReadTimeoutError, SimChangeSource, SourceUnavailableError, READ_TIMEOUT_MS } from '../../src/sim/changeSource.js';
import { IDLE_HEARTBEAT_MS } from '../../src/sim/streamServer.js';
import { OTHER_ORIGIN, publish } from '../contract/changeSource.contract.js';
import { settleOnClock, TestNet, type Fate, type SentMessage } from '../contract/simNet.js';
import { propertySeed } from '../helpers/seed.js';
import { SimRandom } from '../../src/sim/random.js';

const SOURCE = 'src';
const TARGET = 'dst';

function simWorld(batchMax = 4, batchesInFlight = 2, onHeartbeat?: (heartbeat: Heartbeat) => void) {
  const clock = new ManualClock();
  const net = new TestNet(clock);
  const bus = new MemoryChangeBus();
  const world = { source: SOURCE, bus };
  const changeSource = new SimChangeSource({ source: SOURCE, target: TARGET, bus, net, clock, batchMax, batchesInFlight, onHeartbeat });
  const settle = <T>(promise: Promise<T>): Promise<T> => settleOnClock(clock, promise);
  const publishRange = async (from: number, to: number): Promise<void> => {
    for (let lsn = from; lsn <= to; lsn += 1) await publish(world, lsn);
  };
  return { clock, net, bus, world, changeSource, settle, publishRange };
}

/** A delivery of a change (larger than any control message or heartbeat of these tests). */
const isDelivery = (message: SentMessage): boolean => message.from === SOURCE && message.bytes > MESSAGE_OVERHEAD_BYTES;

const lsnsOf = (batches: ReceivedBatch[]): number[] => batches.flatMap((b) => b.changes.map((c) => c.state.version.ts));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Takes batches, crediting each, until `count` changes came; fails on anything but a batch. */
async function receive(settle: <T>(p: Promise<T>) => Promise<T>, session: ChangeSession, count: number): Promise<ReceivedBatch[]> {
  const batches: ReceivedBatch[] = [];
  for (let received = 0; received < count;) {
    const event = await settle(session.next());
    if (event.type !== 'batch') throw new Error(`expected a batch, got ${JSON.stringify(event)}`);
    batches.push(event.batch);
    received += event.batch.changes.length;
    session.credit();
  }
  return batches;
}

describe('the simulated ChangeSource', () => {
  it('ends a session whose connection is never answered after the connect time-out, and one refused while the bus is down at once', async () => {
    const { clock, net, bus, changeSource, settle } = simWorld();
    net.fate = () => 'drop';
    const startedMs = clock.trueNowMs();
    expect(await settle(changeSource.open().next())).toEqual({ type: 'ended', error: 'connection timed out' });
    expect(clock.trueNowMs() - startedMs).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS);
    net.fate = () => 'deliver';
    bus.down = true;
    expect(await settle(changeSource.open().next())).toEqual({ type: 'ended', error: 'connection refused' });
    bus.down = false;
    expect((await settle(changeSource.open().next())).type).toBe('opened');
  });

  it('reports a trimmed stream\'s first sequence at open', async () => {
    const { bus, changeSource, settle, publishRange } = simWorld();
    await publishRange(1, 10);
    bus.trim(6);
    expect(await settle(changeSource.open().next())).toEqual({ type: 'opened', firstSeq: 7, lastSeq: 10 });
    bus.trim(20);
    expect(await settle(changeSource.open().next())).toEqual({ type: 'opened', firstSeq: 11, lastSeq: 10 });
  });

  it('recovers a lost delivery by recreating the consumer, and drops repeated ones: each change once, in order', async () => {
    const { net, changeSource, settle, publishRange } = simWorld();
    await publishRange(1, 30);
    let deliveries = 0;
    net.fate = (message) => {
      if (!isDelivery(message)) return 'deliver';
      deliveries += 1;
      if (deliveries === 3 || deliveries === 11) return 'drop';
      return deliveries % 4 === 0 ? 'duplicate' : 'deliver';
    };
    const session = changeSource.open();
    await settle(session.next());
    session.consume(1);
    expect(lsnsOf(await receive(settle, session, 30))).toEqual(range(1, 30));
  });

  it('learns of a lost last delivery from the idle heartbeat', async () => {
    const { clock, net, changeSource, settle, publishRange } = simWorld();
    const session = changeSource.open();
    await settle(session.next());
    session.consume(1);
    // The consumer is in place at the source before the change comes.
    clock.advance(100);
    net.fate = (message) => (isDelivery(message) ? 'drop' : 'deliver');
    await publishRange(1, 1);
    net.fate = () => 'deliver';
    const startedMs = clock.trueNowMs();
    expect(lsnsOf(await receive(settle, session, 1))).toEqual([1]);
    expect(clock.trueNowMs() - startedMs).toBeGreaterThanOrEqual(IDLE_HEARTBEAT_MS);
  });

  it('holds the source back while the replicator does not credit: batchesInFlight batches handed over, two batches\' worth more received', async () => {
    const { clock, net, changeSource, settle, publishRange } = simWorld(10, 2);
    await publishRange(1, 500);
    const session = changeSource.open();
    await settle(session.next());
    session.consume(1);
    clock.advance(10 * IDLE_HEARTBEAT_MS);
    // As the worker: it reads up to twice a batch ahead, and flow control holds the rest at the source.
    expect(net.sent.filter(isDelivery).length).toBe(2 * 10 + 2 * 10);
    expect(session.queued).toBe(2 * 10);
    const batches = await receive(settle, session, 500);
    expect(lsnsOf(batches)).toEqual(range(1, 500));
  });

  it('ends a session whose connection stops answering (a partition), without an error', async () => {
    const { clock, net, changeSource, settle, publishRange } = simWorld();
    await publishRange(1, 3);
    const session = changeSource.open();
    await settle(session.next());
    session.consume(1);
    await receive(settle, session, 3);
    net.fate = () => 'drop';
    const startedMs = clock.trueNowMs();
    expect(await settle(session.next())).toEqual({ type: 'ended' });
    expect(clock.trueNowMs() - startedMs).toBeLessThan(5000);
  });

  it('filters other regions\' changes also from what comes later, and passes heartbeats on only while the session is open', async () => {
    const heard: number[] = [];
    const { clock, changeSource, settle, world, bus } = simWorld(4, 2, (heartbeat) => heard.push(heartbeat.committedLsn));
    const beat = (committedLsn: number): void => bus.publishStatus(heartbeatSubject(SOURCE), new TextEncoder().encode(JSON.stringify({ region: SOURCE, committedLsn, publishedLsn: committedLsn, stuck: null })));
    const session = changeSource.open();
    await settle(session.next());
    session.consume(1);
    for (let lsn = 1; lsn <= 6; lsn += 1) await publish(world, lsn, { origin: lsn % 2 ? SOURCE : OTHER_ORIGIN });
    expect(lsnsOf(await receive(settle, session, 3))).toEqual([1, 3, 5]);
    beat(6);
    clock.advance(100);
    session.close();
    beat(7);
    clock.advance(100);
    expect(heard).toEqual([6]);
  });

  it('fails a table read that gets no answer after its time-out, and one while the bus is down', async () => {
    const { clock, net, bus, changeSource, settle, publishRange } = simWorld();
    await publishRange(1, 3);
    net.fate = (message) => (message.from === SOURCE ? 'drop' : 'deliver');
    const startedMs = clock.trueNowMs();
    await expect(settle(changeSource.readTable('t', { fromSeq: 1, toSeq: 3, afterLsn: 0 }))).rejects.toBeInstanceOf(ReadTimeoutError);
    expect(clock.trueNowMs() - startedMs).toBeGreaterThanOrEqual(READ_TIMEOUT_MS);
    net.fate = () => 'deliver';
    bus.down = true;
    await expect(settle(changeSource.readTable('t', { fromSeq: 1, toSeq: 3, afterLsn: 0 }))).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(bus.lastMessage()).rejects.toBeInstanceOf(BusUnavailableError);
  });

  it('under random loss and repetition, a replicator that reopens from its checkpoint gets every change once, in order; the same seed, the same run', async () => {
    const seed = propertySeed('sim change source under faults');
    const first = await faultyRun(seed);
    expect(first.applied).toEqual(range(1, 200));
    expect(await faultyRun(seed)).toEqual(first);
  });
});

/** Publishes 200 changes while a replicator-like loop follows them through a lossy network; what it saw, and when. */
async function faultyRun(seed: number): Promise<{ applied: number[]; trace: string[] }> {
  const { clock, net, changeSource, settle, publishRange, bus } = simWorld(5, 2);
  const stream = new SimRandom(seed);
  const random = (): number => stream.next();
  net.fate = (): Fate => {
    const roll = random();
    return roll < 0.05 ? 'drop' : roll < 0.1 ? 'duplicate' : 'deliver';
  };
  const applied: number[] = [];
  const trace: string[] = [];
  let checkpoint = 0;
  for (let published = 0; applied.length < 200;) {
    if (published < 200) {
      await publishRange(published + 1, published + 20);
      published += 20;
    }
    if (published === 100 && !bus.down) bus.down = true;
    const session = changeSource.open();
    let event: SessionEvent = await settle(session.next());
    trace.push(`${clock.trueNowMs()} ${event.type}`);
    if (bus.down) bus.down = false;
    if (event.type !== 'opened') continue;
    session.consume(checkpoint + 1);
    while (applied.length < published) {
      event = await settle(session.next());
      if (event.type !== 'batch') break;
      applied.push(...lsnsOf([event.batch]));
      checkpoint = event.batch.lastSeq;
      trace.push(`${clock.trueNowMs()} batch ${checkpoint} pending ${event.batch.pending}`);
      session.credit();
    }
    trace.push(`${clock.trueNowMs()} ${event.type}`);
    session.close();
  }
  await changeSource.stop();
  return { applied, trace };
}
