import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { streamName } from '../../src/bus/wire.js';
import type { IncomingChange } from '../../src/replication/incoming.js';
import { decodeRecord } from '../../src/storage/preEncoded.js';
import { startNatsServer, type RunningNatsServer } from '../../src/nats/launcher.js';
import type { ReceivedBatch } from '../../src/replication/changeSource.js';
import { Receiver, type ReceiverSession } from '../../src/replication/receiver.js';

const SOURCE = 'us-east-1';
let dir: string;
let server: RunningNatsServer;
let connection: NatsConnection;

/** A change as the source publishes it; `own: false` stands for a change another region made. */
async function publish(lsn: number, own = true): Promise<void> {
  const origin = own ? SOURCE : 'eu-west-1';
  const message = { schemaVersion: 1, eventID: `${SOURCE}:${lsn}`, eventName: 'INSERT', table: 't', keys: { pk: { S: `k${lsn}` } }, newImage: { pk: { S: `k${lsn}` }, n: { N: String(lsn) } }, region: SOURCE, origin, version: { ts: lsn, counter: 0, region: origin }, lsn, commitTimeMs: lsn, ApproximateCreationDateTime: 0 };
  await jetstream(connection).publish(`chg.${SOURCE}.${origin}.t`, JSON.stringify(message));
}

/** The test's changes carry their lsn as their version's timestamp. */
const lsnOf = (change: IncomingChange): number => change.state.version.ts;

/** Takes batches (crediting each) until `count` changes have come. */
async function receive(session: ReceiverSession, count: number): Promise<ReceivedBatch[]> {
  const batches: ReceivedBatch[] = [];
  let received = 0;
  while (received < count) {
    const event = await session.next();
    if (event.type !== 'batch') throw new Error(`expected a batch, got ${JSON.stringify(event)}`);
    batches.push(event.batch);
    received += event.batch.changes.length;
    session.credit();
  }
  return batches;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'receiver-'));
  server = await startNatsServer({ storeDir: dir });
  connection = await connect({ servers: server.url });
  await (await jetstreamManager(connection)).streams.add({ name: streamName(SOURCE), subjects: [`chg.${SOURCE}.>`] });
});

afterAll(async () => {
  await connection?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the receiving worker of a replicator', () => {
  it('reads the stream bounds, then delivers the source\'s own changes from a sequence on, in order and in batches, as credit allows', async () => {
    for (let lsn = 1; lsn <= 25; lsn += 1) await publish(lsn, lsn !== 7);
    const receiver = new Receiver({ source: SOURCE, batchMax: 10, batchesInFlight: 1 });
    try {
      const session = receiver.open(server.url);
      expect(await session.next()).toMatchObject({ type: 'opened', firstSeq: 1, lastSeq: 25 });
      session.consume(3);
      const batches = await receive(session, 22);
      const lsns = batches.flatMap((b) => b.changes.map(lsnOf));
      // Sequence 7 is another region's change: the filter leaves it out.
      expect(lsns).toEqual([3, 4, 5, 6, ...Array.from({ length: 18 }, (_, i) => 8 + i)]);
      expect(Math.max(...batches.map((b) => b.changes.length))).toBeLessThanOrEqual(10);
      expect(batches.at(-1)!.lastSeq).toBe(25);
      // Each change comes as the writer's state, with the records the region stores for it already encoded.
      const first = batches[0].changes[0];
      const state = { item: { pk: { S: 'k3' }, n: { N: '3' } }, version: { ts: 3, counter: 0, region: SOURCE }, origin: SOURCE, writtenAtMs: 3 };
      expect(first).toMatchObject({ table: 't', keys: { pk: { S: 'k3' } }, state });
      expect(decodeRecord(first.encoded!.state)).toEqual(state);
      expect(decodeRecord(first.encoded!.tail)).toEqual({ table: 't', keys: { pk: { S: 'k3' } }, newImage: state.item, version: state.version, origin: SOURCE });
      // A batch not yet credited holds the rest back; once credited, the rest follows.
      await publish(26);
      const held = await session.next();
      expect(held.type === 'batch' && held.batch.changes.map(lsnOf)).toEqual([26]);
      await publish(27);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(session.queued).toBe(0);
      session.credit();
      const more = await receive(session, 1);
      expect(more.flatMap((b) => b.changes.map(lsnOf))).toEqual([27]);

      // A new session (as after a lost connection) starts wherever it is told, and the old one ends.
      const next = receiver.open(server.url);
      expect(await session.next()).toMatchObject({ type: 'ended' });
      expect(await next.next()).toMatchObject({ type: 'opened', lastSeq: 27 });
      next.consume(26);
      expect((await receive(next, 2)).flatMap((b) => b.changes.map(lsnOf))).toEqual([26, 27]);
    } finally {
      await receiver.stop();
    }
  });

  it('ends the session with the reason when the source has no stream', async () => {
    const receiver = new Receiver({ source: 'ap-southeast-2', batchMax: 10, batchesInFlight: 1 });
    try {
      const event = await receiver.open(server.url).next();
      expect(event.type).toBe('ended');
      expect(event.type === 'ended' && event.error).toMatch(/stream not found/);
    } finally {
      await receiver.stop();
    }
  });
});
