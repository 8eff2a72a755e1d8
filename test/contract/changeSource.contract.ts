/**
 * What every ChangeSource must do for a replicator and a new replica's backfill: the stream's
 * bounds at open, the source's own changes from a sequence on in bounded batches, credit as
 * backpressure, new appends, one table's changes in a range, resuming in a new session (also after
 * the bus went down and came back), heartbeats as they come; and the publisher side's typed refusal.
 */
import { describe, expect, it } from 'vitest';
import { WrongLastSequenceError, type ChangeBus } from '../../src/bus/changeBus.js';
import { heartbeatSubject, type Heartbeat } from '../../src/bus/heartbeat.js';
import { messageId, subjectFor } from '../../src/bus/wire.js';
import { encodeGroup, encodeGroupEntry } from '../../src/bus/wireEncode.js';
import type { ChangeSession, ChangeSource, ChangeSourceOptions, ReceivedBatch, SessionEvent } from '../../src/replication/changeSource.js';
import type { IncomingChange } from '../../src/replication/incoming.js';
import { decodeRecord } from '../../src/storage/preEncoded.js';

export interface ChangeSourceWorld {
  /** The region whose stream the sources read; its bus writes that stream. */
  source: string;
  bus: ChangeBus;
  changeSource(options: Omit<ChangeSourceOptions, 'source'>): ChangeSource;
  /** Waits for a promise, letting (virtual) time pass as it needs. */
  settle<T>(promise: Promise<T>): Promise<T>;
  /** Lets time pass with nothing expected: what has not happened by then is held back, not late. */
  quiet(): Promise<void>;
  /** The bus's server goes down (a crash), and comes back with the stream it had. */
  busDown(): Promise<void>;
  busUp(): Promise<void>;
  /** Drops the stream's messages up to uptoSeq, as its max-age does. */
  trim(uptoSeq: number): Promise<void>;
  close(): Promise<void>;
}

export const OTHER_ORIGIN = 'elsewhere';

const changeAt = (lsn: number, origin: string, table: string) => ({
  lsn, table, eventName: 'INSERT' as const, keys: { pk: { S: `k${lsn}` } }, newImage: { pk: { S: `k${lsn}` }, n: { N: String(lsn) } },
  version: { ts: lsn, counter: 0, region: origin }, origin, commitTimeMs: lsn,
});

/**
 * Appends changes `lsns` (consecutive) as one message at stream sequence `seq`; each version's
 * timestamp is its lsn, and the message's own count is `ownCount`.
 */
export async function publishGroup(world: Pick<ChangeSourceWorld, 'source' | 'bus'>, seq: number, lsns: number[], { origin = world.source, table = 't', ownCount = 0 } = {}): Promise<void> {
  const changes = lsns.map((lsn) => changeAt(lsn, origin, table));
  const payload = encodeGroup({ region: world.source, origin, table, ownCount }, changes.map(encodeGroupEntry));
  await world.bus.publish(subjectFor(world.source, changes[0]), seq, messageId(world.source, lsns[0], lsns.at(-1)!), payload);
}

/** Appends change `lsn` alone (stream sequence = lsn). */
export async function publish(world: Pick<ChangeSourceWorld, 'source' | 'bus'>, lsn: number, { origin = world.source, table = 't' } = {}): Promise<void> {
  await publishGroup(world, lsn, [lsn], { origin, table, ownCount: lsn });
}

async function publishRange(world: ChangeSourceWorld, from: number, to: number, origin?: (lsn: number) => string): Promise<void> {
  for (let lsn = from; lsn <= to; lsn += 1) await publish(world, lsn, { origin: origin?.(lsn) ?? world.source });
}

const lsnOf = (change: IncomingChange): number => change.state.version.ts;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function nextEvent(world: ChangeSourceWorld, session: ChangeSession): Promise<SessionEvent> {
  return world.settle(session.next());
}

async function opened(world: ChangeSourceWorld, session: ChangeSession): Promise<{ firstSeq: number; lastSeq: number }> {
  const event = await nextEvent(world, session);
  if (event.type !== 'opened') throw new Error(`expected opened, got ${JSON.stringify(event)}`);
  return { firstSeq: event.firstSeq, lastSeq: event.lastSeq };
}

/** Takes batches, crediting each as a replicator does once it applied it, until `count` changes came. */
async function receive(world: ChangeSourceWorld, session: ChangeSession, count: number): Promise<ReceivedBatch[]> {
  const batches: ReceivedBatch[] = [];
  let received = 0;
  while (received < count) {
    const event = await nextEvent(world, session);
    if (event.type !== 'batch') throw new Error(`expected a batch, got ${JSON.stringify(event)}`);
    batches.push(event.batch);
    received += event.batch.changes.length;
    session.credit();
  }
  return batches;
}

const lsnsOf = (batches: ReceivedBatch[]): number[] => batches.flatMap((b) => b.changes.map(lsnOf));

export function runChangeSourceContract(name: string, create: () => Promise<ChangeSourceWorld>): void {
  describe(`ChangeSource contract: ${name}`, () => {
    async function withWorld(run: (world: ChangeSourceWorld, sources: ChangeSource[]) => Promise<void>): Promise<void> {
      const world = await create();
      const sources: ChangeSource[] = [];
      try {
        await run(world, sources);
      } finally {
        for (const source of sources) await source.stop();
        await world.close();
      }
    }

    it('opens with the stream\'s bounds, then yields the source\'s own changes from a sequence on, in order, in batches of at most batchMax', () => withWorld(async (world, sources) => {
      // Sequences 7 and 12 are changes another region made: the source's peers never read them.
      const foreign = new Set([7, 12]);
      await publishRange(world, 1, 25, (lsn) => (foreign.has(lsn) ? OTHER_ORIGIN : world.source));
      const source = world.changeSource({ batchMax: 4, batchesInFlight: 2 });
      sources.push(source);
      const session = source.open();
      expect(await opened(world, session)).toEqual({ firstSeq: 1, lastSeq: 25 });
      session.consume(3);
      const expected = range(3, 25).filter((lsn) => !foreign.has(lsn));
      const batches = await receive(world, session, expected.length);
      expect(lsnsOf(batches)).toEqual(expected);
      for (const batch of batches) {
        expect(batch.changes.length).toBeLessThanOrEqual(4);
        expect(batch.lastSeq).toBe(lsnOf(batch.changes.at(-1)!));
        // What the source holds beyond the batch: its own changes after it.
        expect(batch.pending).toBe(expected.filter((lsn) => lsn > batch.lastSeq).length);
      }
      // Each change as the writer's state, with the records the region stores already encoded.
      const first = batches[0].changes[0];
      const state = { item: { pk: { S: 'k3' }, n: { N: '3' } }, version: { ts: 3, counter: 0, region: world.source }, origin: world.source, writtenAtMs: 3 };
      expect(first).toMatchObject({ table: 't', keys: { pk: { S: 'k3' } }, state });
      expect(decodeRecord(first.encoded!.state)).toEqual(state);
    }));

    it('hands over at most batchesInFlight batches before credit, and follows new appends', () => withWorld(async (world, sources) => {
      await publishRange(world, 1, 20);
      const source = world.changeSource({ batchMax: 2, batchesInFlight: 2 });
      sources.push(source);
      const session = source.open();
      await opened(world, session);
      session.consume(1);
      const held: ReceivedBatch[] = [];
      for (let i = 0; i < 2; i += 1) {
        const event = await nextEvent(world, session);
        if (event.type === 'batch') held.push(event.batch);
      }
      expect(held).toHaveLength(2);
      let third: SessionEvent | undefined;
      const waiting = session.next().then((event) => { third = event; });
      await world.quiet();
      expect(third).toBeUndefined();
      expect(session.queued).toBe(0);
      session.credit();
      await world.settle(waiting);
      expect(third?.type).toBe('batch');
      session.credit();
      session.credit();
      const taken = held.flatMap((b) => b.changes).length + (third?.type === 'batch' ? third.batch.changes.length : 0);
      const rest = await receive(world, session, 20 - taken);
      expect([...lsnsOf(held), ...(third?.type === 'batch' ? third.batch.changes.map(lsnOf) : []), ...lsnsOf(rest)]).toEqual(range(1, 20));
      await publishRange(world, 21, 23, (lsn) => (lsn === 22 ? OTHER_ORIGIN : world.source));
      expect(lsnsOf(await receive(world, session, 2))).toEqual([21, 23]);
    }));

    it('yields a message of many changes as those changes, in one batch, with its own count', () => withWorld(async (world, sources) => {
      await publishGroup(world, 1, [1, 2, 3], { ownCount: 3 });
      await publishGroup(world, 2, [4, 5], { origin: OTHER_ORIGIN, ownCount: 3 });
      await publishGroup(world, 3, [6, 7, 8, 9], { ownCount: 7 });
      const source = world.changeSource({ batchMax: 2, batchesInFlight: 2 });
      sources.push(source);
      const session = source.open();
      expect(await opened(world, session)).toEqual({ firstSeq: 1, lastSeq: 3 });
      session.consume(1);
      const batches = await receive(world, session, 7);
      expect(lsnsOf(batches)).toEqual([1, 2, 3, 6, 7, 8, 9]);
      // A message is never split across batches, even past batchMax: its changes apply together.
      expect(batches.map((b) => [b.changes.length, b.lastSeq, b.ownCount])).toEqual([[3, 1, 3], [4, 3, 7]]);
      expect(batches.map((b) => b.changes.map((c) => c.lsn))).toEqual([[1, 2, 3], [6, 7, 8, 9]]);
    }));

    it('reads one table\'s changes in a range of messages, after an lsn', () => withWorld(async (world, sources) => {
      for (let lsn = 1; lsn <= 12; lsn += 1) await publish(world, lsn, { table: lsn % 3 === 0 ? 'b' : 'a', origin: lsn === 5 ? OTHER_ORIGIN : world.source });
      await publishGroup(world, 13, [13, 14, 15], { table: 'a' });
      const source = world.changeSource({ batchMax: 4, batchesInFlight: 2 });
      sources.push(source);
      const read = async (table: string, fromSeq: number, toSeq: number, afterLsn = 0): Promise<number[]> => (await world.settle(source.readTable(table, { fromSeq, toSeq, afterLsn }))).map((m) => m.lsn);
      expect(await read('a', 2, 10)).toEqual([2, 4, 7, 8, 10]);
      expect(await read('b', 1, 100)).toEqual([3, 6, 9, 12]);
      expect(await read('b', 14, 20)).toEqual([]);
      // A message's changes at or below afterLsn are left out.
      expect(await read('a', 11, 13, 13)).toEqual([14, 15]);
      expect(await read('a', 10, 13, 10)).toEqual([11, 13, 14, 15]);
      const [message] = await world.settle(source.readTable('a', { fromSeq: 1, toSeq: 1, afterLsn: 0 }));
      expect(message).toMatchObject({ table: 'a', lsn: 1, origin: world.source, keys: { pk: { S: 'k1' } }, newImage: { pk: { S: 'k1' }, n: { N: '1' } } });
    }));

    it('a new session ends the one before and resumes from the checkpoint: nothing skipped', () => withWorld(async (world, sources) => {
      await publishRange(world, 1, 12);
      const source = world.changeSource({ batchMax: 3, batchesInFlight: 1 });
      sources.push(source);
      const first = source.open();
      await opened(world, first);
      first.consume(1);
      const applied = await receive(world, first, 5);
      const checkpoint = applied.at(-1)!.lastSeq;
      const second = source.open();
      expect((await nextEvent(world, first)).type).toBe('ended');
      expect(await opened(world, second)).toEqual({ firstSeq: 1, lastSeq: 12 });
      second.consume(checkpoint + 1);
      expect(lsnsOf(await receive(world, second, 12 - checkpoint))).toEqual(range(checkpoint + 1, 12));
    }));

    it('ends the session, never skipping, when the stream is trimmed between its bounds and the consumer\'s start', () => withWorld(async (world, sources) => {
      await publishRange(world, 1, 4, (lsn) => (lsn === 2 ? OTHER_ORIGIN : world.source));
      const source = world.changeSource({ batchMax: 10, batchesInFlight: 2 });
      sources.push(source);
      // Another origin's change between the start and the first delivery is no trim: nothing ends.
      const filtered = source.open();
      await opened(world, filtered);
      filtered.consume(2);
      expect(lsnsOf(await receive(world, filtered, 2))).toEqual([3, 4]);
      const session = source.open();
      expect(await opened(world, session)).toEqual({ firstSeq: 1, lastSeq: 4 });
      await world.trim(2);
      session.consume(1);
      const ended = await nextEvent(world, session);
      expect(ended).toMatchObject({ type: 'ended', error: expect.stringContaining('no longer holds 1') });
      expect(await opened(world, source.open())).toEqual({ firstSeq: 3, lastSeq: 4 });
    }));

    it('ends the session when the bus goes down; once it is back, a new session resumes', () => withWorld(async (world, sources) => {
      await publishRange(world, 1, 6);
      const source = world.changeSource({ batchMax: 10, batchesInFlight: 2 });
      sources.push(source);
      const session = source.open();
      await opened(world, session);
      session.consume(1);
      const checkpoint = (await receive(world, session, 6)).at(-1)!.lastSeq;
      await world.busDown();
      expect((await nextEvent(world, session)).type).toBe('ended');
      await world.busUp();
      await publishRange(world, 7, 9);
      const next = source.open();
      expect(await opened(world, next)).toEqual({ firstSeq: 1, lastSeq: 9 });
      next.consume(checkpoint + 1);
      expect(lsnsOf(await receive(world, next, 3))).toEqual([7, 8, 9]);
    }));

    it('passes the source\'s heartbeats on as they come', () => withWorld(async (world, sources) => {
      const heard: Heartbeat[] = [];
      let wake: () => void = () => {};
      const source = world.changeSource({ batchMax: 10, batchesInFlight: 1, onHeartbeat: (heartbeat) => { heard.push(heartbeat); wake(); } });
      sources.push(source);
      const session = source.open();
      await opened(world, session);
      const beat: Heartbeat = { region: world.source, committedLsn: 4, publishedLsn: 3, stuck: null, unpublished: null, sentAtMs: 1234 };
      const arrived = new Promise<void>((resolve) => { wake = resolve; });
      world.bus.publishStatus(heartbeatSubject(world.source), new TextEncoder().encode(JSON.stringify(beat)));
      await world.settle(arrived);
      expect(heard).toEqual([beat]);
    }));

    it('the bus refuses a publish that does not follow its predecessor with WrongLastSequenceError', () => withWorld(async (world) => {
      await publish(world, 1);
      const refused = publish(world, 3);
      await expect(refused).rejects.toBeInstanceOf(WrongLastSequenceError);
      await expect(refused).rejects.toMatchObject({ expected: 2 });
    }));
  });
}
