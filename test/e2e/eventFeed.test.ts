/**
 * The region's event feed, end to end: real regions, real nats-servers, the AWS SDK as client, and
 * followFeed reading GET /admin/events. Changes show where they were written and where they arrived,
 * a conflict comes with its explanation, faults and status are told, and the stream ends with the
 * client or the region; the client reconnects when the region is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { followFeed } from '../../src/region/feedClient.js';
import type { FeedChange, FeedConflict, FeedEvent, FeedFault, FeedStatus } from '../../src/region/feedEvents.js';
import { startRegion } from '../../src/region/region.js';
import { createGlobalTable, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';
import { startTestRegion, uniqueTableName } from '../helpers/region.js';

const A = 'us-east-1';
const B = 'eu-west-1';

interface Follower {
  events: FeedEvent[];
  connections: boolean[];
  close(): void;
}

function follow(endpoint: string): Follower {
  const events: FeedEvent[] = [];
  const connections: boolean[] = [];
  const { close } = followFeed({ endpoint, onEvent: (event) => events.push(event), onConnection: (up) => connections.push(up) });
  return { events, connections, close };
}

const pkOf = (keys: Record<string, unknown>): unknown => (keys.pk as { S?: string } | undefined)?.S;

const ofType = <T extends FeedEvent['type']>(events: FeedEvent[], type: T) => events.filter((e): e is Extract<FeedEvent, { type: T }> => e.type === type);

describe('a two-region global table, followed on both sides', () => {
  let cluster: TestCluster;
  let table: string;
  const followers: Record<string, Follower> = {};

  beforeAll(async () => {
    cluster = await startCluster([A, B]);
    table = uniqueTableName('feed');
    await createGlobalTable(cluster, table);
    for (const name of [A, B]) followers[name] = follow(cluster.byName(name).region.endpoint);
    await eventually(async () => [A, B].every((name) => ofType(followers[name].events, 'hello').length === 1), 10_000, 'hello from both');
  }, 90_000);
  afterAll(async () => {
    for (const follower of Object.values(followers)) follower.close();
    await cluster?.stop();
  });

  const put = (region: string, pk: string, value: string) => cluster.byName(region).client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: value } } }));
  const changesOf = (region: string, pk: string): FeedChange[] => ofType(followers[region].events, 'change').filter((c) => c.table === table && pkOf(c.keys) === pk);

  it('starts each subscription with hello at the current lsn, and says it is connected', () => {
    for (const name of [A, B]) {
      const [hello] = followers[name].events;
      expect(hello).toMatchObject({ type: 'hello', region: name });
      expect((hello as { lsn: number }).lsn).toBeGreaterThanOrEqual(0);
      expect(followers[name].connections).toEqual([true]);
    }
  });

  it('shows a write as a change in its region, then in the other with the same origin, later', async () => {
    await put(A, 'one', 'first');
    const [there] = await eventually(async () => changesOf(B, 'one').length ? changesOf(B, 'one') : undefined, 15_000, 'change in B');
    const [here] = changesOf(A, 'one');
    expect(here).toMatchObject({ region: A, origin: A, eventName: 'INSERT', newImage: { pk: { S: 'one' }, v: { S: 'first' } } });
    expect(there).toMatchObject({ region: B, origin: A, eventName: 'INSERT', version: here.version, newImage: here.newImage });
    expect(there.atMs).toBeGreaterThanOrEqual(here.atMs);
  });

  it('tells a stalled link as a fault, and a conflict of writes made meanwhile with its explanation', async () => {
    await cluster.admin(A, `/admin/links/${B}`, { method: 'PUT', body: { stalled: true } });
    await cluster.admin(B, `/admin/links/${A}`, { method: 'PUT', body: { stalled: true } });
    const stalled = await eventually(async () => ofType(followers[A].events, 'fault').find((f) => f.kind === 'link'), 5_000, 'fault in A');
    expect(stalled).toMatchObject<Partial<FeedFault>>({ region: A, text: `link from ${B} stalled`, link: expect.objectContaining({ source: B, stalled: true }) });
    await put(A, 'both', 'from-a');
    await put(B, 'both', 'from-b');
    await cluster.admin(A, `/admin/links/${B}/heal`, { method: 'POST' });
    await cluster.admin(B, `/admin/links/${A}/heal`, { method: 'POST' });
    const conflict: FeedConflict = await eventually(async () => [A, B].flatMap((name) => ofType(followers[name].events, 'conflict')).find((c) => pkOf(c.conflict.keys) === 'both'), 20_000, 'conflict event');
    expect(conflict.conflict.table).toBe(table);
    expect(conflict.conflict.explanation).toMatch(/write won|equal timestamps|skew-inverted/);
    expect(conflict.atMs).toBe(conflict.conflict.detectedAtMs);
    expect(ofType(followers[A].events, 'fault').map((f) => f.text)).toContain(`link from ${B} healed`);
  });

  it('sends status once a second with tables, links and replication per source', async () => {
    const status: FeedStatus = await eventually(async () => ofType(followers[A].events, 'status')
      .filter((s) => s.tables.some((t) => t.name === table && t.items >= 2) && s.links.every((l) => !l.stalled)).at(-1), 10_000, 'status');
    expect(status.tables.find((t) => t.name === table)!.replicas).toEqual([B, A].sort());
    expect(status.clock).toEqual({ mode: 'hlc', skewMs: 0 });
    expect(status.links).toEqual([expect.objectContaining({ source: B, stalled: false, latencyMs: 0, jitterMs: 0 })]);
    expect(status.replication).toEqual([expect.objectContaining({ source: B, connected: expect.any(Boolean), pending: expect.any(Number), applied: expect.any(Number) })]);
    expect(status.replication[0].lagMs).toHaveProperty('current');
    // Beats are 100 ms apart and status comes every tenth: a handful in a few seconds, never one per beat.
    const statuses = ofType(followers[A].events, 'status');
    const spanMs = statuses.at(-1)!.atMs - statuses[0].atMs;
    expect(statuses.length).toBeLessThanOrEqual(spanMs / 900 + 2);
  });

  it('unsubscribes when the client closes', async () => {
    const extra = follow(cluster.byName(A).region.endpoint);
    const feed = cluster.byName(A).region.feed;
    await eventually(async () => feed.subscriberCount === 2, 5_000, 'second subscriber');
    extra.close();
    await eventually(async () => feed.subscriberCount === 1, 5_000, 'back to one subscriber');
  });
});

describe('a region with a feed client', () => {
  it('stops promptly, and the client reconnects once it is back on the same data', async () => {
    const first = await startTestRegion({ changeStream: {}, log: () => undefined });
    const { port } = first.region;
    const follower = follow(first.region.endpoint);
    let second: Awaited<ReturnType<typeof startRegion>> | undefined;
    try {
      await eventually(async () => follower.connections.at(-1) === true, 10_000, 'connected');
      const startedMs = Date.now();
      await first.region.close();
      expect(Date.now() - startedMs, 'ms to stop with a feed client connected').toBeLessThan(3_000);
      await eventually(async () => follower.connections.at(-1) === false, 5_000, 'disconnected');
      second = await startRegion({ name: 'us-east-1', port, dataDir: first.dataDir, changeStream: {}, log: () => undefined });
      await eventually(async () => follower.connections.at(-1) === true, 10_000, 'reconnected');
      expect(follower.connections).toEqual([true, false, true]);
      await eventually(async () => ofType(follower.events, 'hello').length === 2, 5_000, 'second hello');
    } finally {
      follower.close();
      await second?.close();
      await first.stop();
    }
  }, 60_000);

  it('is not cut by the server\'s request timeouts, which bound receiving a request, not answering it', async () => {
    const r = await startTestRegion({ http: { headersTimeoutMs: 500, requestTimeoutMs: 500, timeoutCheckIntervalMs: 100 } });
    const follower = follow(r.region.endpoint);
    try {
      await eventually(async () => follower.connections.at(-1) === true, 5_000, 'connected');
      // Status comes once a second: four of them take a stream several request timeouts long.
      await eventually(async () => ofType(follower.events, 'status').length >= 4, 10_000, 'four statuses');
      expect(follower.connections).toEqual([true]);
    } finally {
      follower.close();
      await r.stop();
    }
  }, 30_000);

  it('drops a client that does not read, past a bounded backlog', async () => {
    const r = await startTestRegion();
    try {
      const table = uniqueTableName('slow');
      const feed = r.region.feed;
      const response = await fetch(`${r.region.endpoint}/admin/events`);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await eventually(async () => feed.subscriberCount === 1, 5_000, 'subscribed');
      // Never read: large faults fill the stream until the region gives up on it.
      const text = 'x'.repeat(64 * 1024);
      await eventually(async () => {
        for (let i = 0; i < 16; i += 1) feed.fault({ kind: 'nats', text });
        return feed.subscriberCount === 0;
      }, 20_000, `a client of ${table} that does not read dropped`);
      await response.body?.cancel().catch(() => undefined);
    } finally {
      await r.stop();
    }
  }, 30_000);

  it('refuses a query string', async () => {
    const r = await startTestRegion();
    try {
      const response = await fetch(`${r.region.endpoint}/admin/events?from=0`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ field: 'from' });
    } finally {
      await r.stop();
    }
  });
});
