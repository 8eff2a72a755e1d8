import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { HttpPeerTransport } from '../../src/replication/peers.js';
import { PeerRequestError } from '../../src/replication/peerTransport.js';
import type { PeerHandlers } from '../../src/replication/peerHandlers.js';
import type { Membership } from '../../src/replication/replicas.js';
import { SimPeerTransport } from '../../src/sim/peerTransport.js';
import type { SimNet } from '../../src/sim/net.js';
import { startCluster } from '../helpers/cluster.js';
import { createSimTable, settleOn, startSimPeerRegions } from '../helpers/simPeers.js';
import { runPeerTransportContract, type PeerHarness } from './peerTransport.contract.js';

const CALLER = 'us-east-1';
const TARGET = 'eu-west-1';
/** A region no one runs. */
const NOWHERE = 'ap-southeast-2';

/** Real regions (LMDB, nats-server, HTTP) in this process; nothing listens on port 9. */
async function httpHarness(): Promise<PeerHarness> {
  const cluster = await startCluster([CALLER, TARGET]);
  return {
    caller: CALLER,
    target: TARGET,
    transport: new HttpPeerTransport({ name: TARGET, endpoint: cluster.byName(TARGET).region.endpoint }),
    unreachable: new HttpPeerTransport({ name: NOWHERE, endpoint: 'http://127.0.0.1:9' }),
    async createTable(region, table, keys) {
      const { client } = cluster.byName(region);
      await client.send(new CreateTableCommand({
        TableName: table, BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }));
      for (const key of keys) await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: key } } }));
    },
    settle: (call) => call,
    close: () => cluster.stop(),
  };
}

const NET_DELAY_MS = 5;

/** Two in-process regions on a ManualClock; the network delivers every message after a fixed delay, or at once. */
async function simHarness(delivery: 'delayed' | 'at once'): Promise<PeerHarness> {
  const clock = new ManualClock();
  const net: SimNet = {
    send(_from, _to, _bytes, deliver) {
      if (delivery === 'at once') deliver();
      else clock.schedule(deliver, NET_DELAY_MS);
    },
  };
  const regions = startSimPeerRegions([CALLER, TARGET], clock, net);
  return {
    caller: CALLER,
    target: TARGET,
    transport: regions.get(CALLER)!.peers.get(TARGET)!,
    unreachable: new SimPeerTransport({ from: CALLER, to: NOWHERE, net, clock, handlers: () => undefined }),
    createTable: (region, table, keys) => createSimTable(regions.get(region)!.ctx, table, keys),
    settle: (call) => settleOn(clock, call),
    async close() {
      for (const region of regions.values()) await region.ctx.store.close();
    },
  };
}

runPeerTransportContract('HTTP to real regions', httpHarness);
runPeerTransportContract('simulated, delivered after a delay', () => simHarness('delayed'));
runPeerTransportContract('simulated, delivered at once', () => simHarness('at once'));

interface Sent {
  from: string;
  to: string;
  bytes: number;
}

/** A network that records what it carries and lets the test decide, per message, how often it arrives. */
function testNet(clock: ManualClock, copies: (message: Sent) => number = () => 1): { net: SimNet; sent: Sent[] } {
  const sent: Sent[] = [];
  const net: SimNet = {
    send(from, to, bytes, deliver) {
      const message = { from, to, bytes };
      sent.push(message);
      for (let i = 0; i < copies(message); i += 1) clock.schedule(deliver, NET_DELAY_MS);
    },
  };
  return { net, sent };
}

describe('SimPeerTransport on the simulated network', () => {
  it('carries the request there and the answer back, each about its size as JSON', async () => {
    const clock = new ManualClock();
    const { net, sent } = testNet(clock);
    const regions = startSimPeerRegions([CALLER, TARGET], clock, net);
    await createSimTable(regions.get(TARGET)!.ctx, 'sized-table', ['a']);
    const view = await settleOn(clock, regions.get(CALLER)!.peers.get(TARGET)!.table('sized-table'));
    expect(sent.map(({ from, to }) => `${from}->${to}`)).toEqual([`${CALLER}->${TARGET}`, `${TARGET}->${CALLER}`]);
    expect(sent[0].bytes).toBe(JSON.stringify('sized-table').length);
    expect(sent[1].bytes).toBeGreaterThan(JSON.stringify(view).length);
    expect(sent[1].bytes).toBeLessThan(JSON.stringify(view).length + 40);
  });

  it('gives up after exactly its time-out on the virtual clock when the answer is lost, though the request was served', async () => {
    const clock = new ManualClock();
    const { net } = testNet(clock, ({ from }) => (from === TARGET ? 0 : 1));
    const regions = startSimPeerRegions([CALLER, TARGET], clock, net, 2_000);
    await createSimTable(regions.get(TARGET)!.ctx, 'lost-answer', []);
    let outcome: unknown;
    regions.get(CALLER)!.peers.get(TARGET)!.membership({ table: 'lost-answer', members: { [CALLER]: 'ACTIVE', [TARGET]: 'ACTIVE' } })
      .then(() => { outcome = 'answered'; }, (error: unknown) => { outcome = error; });
    clock.advance(1_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcome).toBeUndefined();
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcome).toBeInstanceOf(PeerRequestError);
    expect((outcome as PeerRequestError).status).toBeUndefined();
    expect(await regions.get(TARGET)!.handlers.table('lost-answer')).toMatchObject({ replicas: { [CALLER]: 'ACTIVE', [TARGET]: 'ACTIVE' } });
  });

  it('sends again what the network lost, as TCP does: the call completes after one retransmission time-out', async () => {
    const clock = new ManualClock();
    let dropped = 0;
    // The first request and the first answer are lost.
    const { net } = testNet(clock, ({ from }) => (dropped < 2 && (from === CALLER ? dropped === 0 : dropped === 1) ? (dropped += 1, 0) : 1));
    const regions = startSimPeerRegions([CALLER, TARGET], clock, net);
    const started = clock.nowMs();
    expect((await settleOn(clock, regions.get(CALLER)!.peers.get(TARGET)!.info())).region).toBe(TARGET);
    expect(dropped).toBe(2);
    // Two retransmission time-outs (the request's, then the answer's), not the call's ten seconds.
    expect(clock.nowMs() - started).toBeLessThanOrEqual(2 * 1000 + 100);
  });

  it('refuses a call to a region whose process is down at once (a closed port), and answers again once it is up', async () => {
    const clock = new ManualClock();
    const { net } = testNet(clock);
    const regions = startSimPeerRegions([CALLER, TARGET], clock, net);
    const transport = regions.get(CALLER)!.peers.get(TARGET)!;
    regions.get(TARGET)!.up = false;
    const started = clock.nowMs();
    await expect(settleOn(clock, transport.info())).rejects.toThrow(/connection refused/);
    expect(clock.nowMs() - started, 'one round trip (settled in steps of 50 ms), no time-out').toBeLessThanOrEqual(50);
    regions.get(TARGET)!.up = true;
    expect((await settleOn(clock, transport.info())).region).toBe(TARGET);
  });

  it('serves a request the network duplicates once, as TCP delivers it once, and takes the first answer', async () => {
    const clock = new ManualClock();
    const { net } = testNet(clock, () => 2);
    const regions = startSimPeerRegions([CALLER, TARGET], clock, net);
    await createSimTable(regions.get(CALLER)!.ctx, 'twice', ['a', 'b']);
    const target = regions.get(TARGET)!;
    const served: unknown[] = [];
    const { handlers } = target;
    target.handlers = { ...handlers, createReplica: (request) => { served.push(request); return handlers.createReplica(request); } };
    const transport = regions.get(CALLER)!.peers.get(TARGET)!;
    const schema = {
      name: 'twice', keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }], attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
      billingMode: 'PAY_PER_REQUEST' as const, throughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
    };
    await settleOn(clock, transport.createReplica({ schema, members: { [CALLER]: 'ACTIVE', [TARGET]: 'CREATING' }, coordinator: CALLER }));
    expect(served).toHaveLength(1);
    expect(await settleOn(clock, transport.table('twice'))).toMatchObject({ itemCount: 2, replicas: { [TARGET]: 'ACTIVE' } });
  });

  it('shares no object between regions: neither the request nor the answer', async () => {
    const clock = new ManualClock();
    const { net } = testNet(clock);
    const regions = startSimPeerRegions([CALLER, TARGET], clock, net);
    await createSimTable(regions.get(TARGET)!.ctx, 'copied', ['a']);
    const transport = regions.get(CALLER)!.peers.get(TARGET)!;
    const members: Membership = { [CALLER]: 'ACTIVE', [TARGET]: 'ACTIVE' };
    const storing = transport.membership({ table: 'copied', members });
    // Changed after it was sent, before it arrived: the target stores what was sent.
    members[CALLER] = 'DELETING';
    await settleOn(clock, storing);
    expect((await settleOn(clock, transport.table('copied')))?.replicas).toEqual({ [CALLER]: 'ACTIVE', [TARGET]: 'ACTIVE' });

    // A target that answers with an object it keeps: the caller gets a copy.
    const kept = { name: 'kept', keySchema: [], attributeDefinitions: [], itemCount: 1, replicas: { [TARGET]: 'ACTIVE' as const } };
    const keeping = { table: async () => kept } as unknown as PeerHandlers;
    const toKeeper = new SimPeerTransport({ from: CALLER, to: TARGET, net, clock, handlers: () => keeping });
    const answer = (await settleOn(clock, toKeeper.table('kept')))!;
    expect(answer).toEqual(kept);
    answer.replicas![TARGET] = 'DELETING';
    expect(kept.replicas[TARGET]).toBe('ACTIVE');
  });

  it("answers a failure of the target's own as a 500, as HTTP would", async () => {
    const clock = new ManualClock();
    const failing = { info: async () => { throw new Error('disk on fire'); } } as unknown as PeerHandlers;
    const { net } = testNet(clock);
    const transport = new SimPeerTransport({ from: CALLER, to: TARGET, net, clock, handlers: () => failing });
    const error = await settleOn(clock, transport.info()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PeerRequestError);
    expect(error).toMatchObject({ status: 500, message: expect.stringContaining('disk on fire') });
  });
});
