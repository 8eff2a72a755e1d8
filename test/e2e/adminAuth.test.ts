/**
 * Who may call the admin routes that change something: without a token, loopback only (by the
 * socket's address, whatever headers say); with a token, whoever carries it, from any address.
 * Reads stay open. The header that forces a write's timestamp follows the same rule: an ordinary
 * DynamoDB call from anywhere, but with that header only from where admin changes are allowed.
 * Requests from elsewhere than loopback are real: they come from a network
 * namespace the test creates, over a veth pair on a private /30, so the region sees the
 * namespace's address as the caller's, and nothing is sent to this machine's own network.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mountAdmin } from '../../src/http/admin.js';
import { isGuarded } from '../../src/http/adminAuth.js';
import { FORCED_TIMESTAMP_HEADER } from '../../src/dynamo/forcedTimestamp.js';
import { createNetns, netnsSupport, type Netns, type NetnsRequest, type NetnsResponse } from '../helpers/netns.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

const PEER = 'eu-west-1';
const TABLE = 'guarded';
const TOKEN = 'test-admin-token';
const WRONG = 'not-the-token';

const support = netnsSupport();
const noOutside = !support.supported;
if (!support.supported) console.warn(`adminAuth: skipping every call from a non-loopback address: ${support.reason}`);

/** The namespace the calls from elsewhere than loopback come from. */
let outside: Netns | undefined;
beforeAll(async () => { if (support.supported) outside = await createNetns(); }, 30_000);
afterAll(async () => { await outside?.remove(); });

/** A valid call of every guarded route, so a refusal is about who calls, never about what. */
const VALID: Record<string, { path?: string; body?: unknown }> = {
  'POST /admin/metrics/reset': {},
  'PUT /admin/clock': { body: { skewMs: 5_000 } },
  'POST /admin/nats/kill': { body: { hold: true } },
  'POST /admin/nats/start': {},
  'POST /admin/links/heal': {},
  'PUT /admin/links/:source': { path: `/admin/links/${PEER}`, body: { stalled: true } },
  'POST /admin/links/:source/reset': { path: `/admin/links/${PEER}/reset` },
  'POST /admin/links/:source/heal': { path: `/admin/links/${PEER}/heal` },
  'GET /admin/snapshot': { path: `/admin/snapshot?table=${TABLE}` },
  'POST /admin/replicas/create': {
    body: {
      schema: {
        name: 'new-replica', keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        billingMode: 'PAY_PER_REQUEST', throughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
      },
      members: { [PEER]: 'ACTIVE', 'us-east-1': 'CREATING' },
      coordinator: PEER,
    },
  },
  'POST /admin/replicas/membership': { body: { table: TABLE, members: { 'us-east-1': 'ACTIVE', [PEER]: 'ACTIVE' } } },
  'POST /admin/replicas/delete': { body: { table: TABLE } },
  'POST /admin/replicas/settings': { body: { table: TABLE, change: { billingMode: 'PAY_PER_REQUEST' } } },
  'POST /admin/replicas/index': { body: { table: TABLE, delete: 'no-such-index' } },
};

/** Every guarded route the admin API has, read from the routes it mounts: a new one without an entry in VALID fails the test. */
function guardedRoutes(): { name: string; path: string; method: string; body?: unknown }[] {
  const app = new Hono();
  mountAdmin(app, { ctx: {} as never, conflicts: {} as never });
  return app.routes.filter((r) => r.method !== 'ALL' && isGuarded(r.method, r.path)).map((r) => {
    const name = `${r.method} ${r.path}`;
    expect(VALID, `a valid call of ${name}`).toHaveProperty([name]);
    return { name, method: r.method, path: VALID[name].path ?? r.path, body: VALID[name].body };
  });
}

interface Call { method: string; path: string; body?: unknown; headers?: Record<string, string> }
interface Answer { status: number; body: Record<string, unknown>; text: string; headers: Headers }

/** Where a call comes from: loopback, or the namespace (to the region's address on the veth pair, the only other one it is sent to). */
type From = '127.0.0.1' | '::1' | 'outside';

function request(from: From, r: TestRegion, { method, path, body, headers = {} }: Call): NetnsRequest {
  const host = from === 'outside' ? outside!.hostAddress : from === '::1' ? '[::1]' : from;
  return {
    url: `http://${host}:${r.region.port}${path}`,
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** Fetches the requests one after another, as the namespace's process does. */
async function fetchInOrder(requests: NetnsRequest[]): Promise<NetnsResponse[]> {
  const responses: NetnsResponse[] = [];
  for (const { url, ...init } of requests) {
    const response = await fetch(url, init);
    responses.push({ status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() });
  }
  return responses;
}

/** Sends the calls in order; those from outside all go in one process inside the namespace. */
async function callAll(from: From, r: TestRegion, calls: Call[]): Promise<Answer[]> {
  const requests = calls.map((c) => request(from, r, c));
  const responses = from === 'outside' ? await outside!.fetch(requests) : await fetchInOrder(requests);
  return responses.map(({ status, headers, body }) => ({
    status, text: body, headers: new Headers(headers),
    body: headers['content-type']?.startsWith('application/json') ? JSON.parse(body) as Record<string, unknown> : {},
  }));
}

async function call(from: From, r: TestRegion, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return (await callAll(from, r, [{ method, path, body, headers }]))[0];
}

/** The region checks that an API call is signed, not the signature. */
const SIGNED = { authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0', 'x-amz-date': '20260101T000000Z' };

/** A DynamoDB API call (headers after the signature, so a bearer token can take its place). */
function apiCall(operation: string, body: unknown, headers: Record<string, string> = {}): Call {
  return { method: 'POST', path: '/', body, headers: { 'x-amz-target': `DynamoDB_20120810.${operation}`, ...SIGNED, ...headers } };
}

/** A PutItem of `pk` stamped `timestampMs` through the header. */
const forcedPut = (pk: string, timestampMs: number, headers: Record<string, string> = {}): Call =>
  apiCall('PutItem', { TableName: TABLE, Item: { pk: { S: pk } } }, { [FORCED_TIMESTAMP_HEADER]: String(timestampMs), ...headers });

/** The version stored for a key, or null when there is none (read from loopback, which reads always may). */
async function storedVersion(r: TestRegion, pk: string): Promise<{ ts: number } | null> {
  const key = encodeURIComponent(JSON.stringify({ pk: { S: pk } }));
  const { body } = await call('127.0.0.1', r, 'GET', `/admin/item?table=${TABLE}&key=${key}`);
  return (body.record as { version: { ts: number } } | null)?.version ?? null;
}

async function startGuardedRegion(host: string, adminToken?: string): Promise<TestRegion> {
  const r = await startTestRegion({ host, adminToken, changeStream: {}, peers: [{ name: PEER, endpoint: 'http://127.0.0.1:9' }], log: () => undefined });
  await r.client.send(new CreateTableCommand({
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await r.client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'kept' } } }));
  return r;
}

let checkSeq = 0;

/** After refused calls, everything they would have changed is as it was. */
async function expectUnchanged(r: TestRegion): Promise<void> {
  const clock = await call('127.0.0.1', r, 'GET', '/admin/clock');
  expect(clock.body).toMatchObject({ skewMs: 0, mode: 'hlc' });
  expect((await call('127.0.0.1', r, 'GET', `/admin/links/${PEER}`)).body).toMatchObject({ stalled: false, latencyMs: 0 });
  expect(r.region.changeStream?.nats?.running).toBe(true);
  expect((await r.client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.ItemCount).toBe(1);
  expect((await call('127.0.0.1', r, 'GET', '/admin/tables/new-replica')).status).toBe(404);
  expect(await storedVersion(r, 'forced')).toBeNull();
  // Nothing forced a timestamp: a write now is stamped by the clock.
  const before = Date.now();
  // A value of its own each time, or a second check would change nothing and stamp nothing.
  await r.client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'kept' }, n: { N: String(checkSeq += 1) } } }));
  const key = encodeURIComponent(JSON.stringify({ pk: { S: 'kept' } }));
  const { body } = await call('127.0.0.1', r, 'GET', `/admin/item?table=${TABLE}&key=${key}`);
  expect((body.record as { version: { ts: number } }).version.ts).toBeGreaterThanOrEqual(before);
}

describe('without an admin token', () => {
  let r: TestRegion;
  beforeAll(async () => { r = await startGuardedRegion('0.0.0.0'); }, 30_000);
  afterAll(async () => { await r?.stop(); });

  it.skipIf(noOutside)('refuses every guarded route from a non-loopback address with 403, whatever X-Forwarded-For says, and changes nothing', async () => {
    const routes = guardedRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(12);
    const calls = routes.flatMap((route) => ([{}, { 'x-forwarded-for': '127.0.0.1' }, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[])
      .map((headers) => ({ ...route, headers })));
    const answers = await callAll('outside', r, calls);
    calls.forEach((c, i) => {
      expect(answers[i].status, `${c.name} ${JSON.stringify(c.headers)}`).toBe(403);
      expect(answers[i].body.error).toMatch(/loopback.*--admin-token/);
    });
    await expectUnchanged(r);
  });

  it.skipIf(noOutside)(`refuses ${FORCED_TIMESTAMP_HEADER} on an API call from a non-loopback address with 403, and writes nothing`, async () => {
    const headerSets: Record<string, string>[] = [{}, { 'x-forwarded-for': '127.0.0.1' }, { authorization: `Bearer ${TOKEN}` }];
    const answers = await callAll('outside', r, [
      ...headerSets.map((headers) => forcedPut('forced', Date.now(), headers)),
      apiCall('GetItem', { TableName: TABLE, Key: { pk: { S: 'kept' } } }, { [FORCED_TIMESTAMP_HEADER]: String(Date.now()) }),
      // Without the header the same caller is an ordinary client.
      apiCall('GetItem', { TableName: TABLE, Key: { pk: { S: 'kept' } } }),
    ]);
    const refusals = answers.slice(0, -1);
    refusals.forEach((answer, i) => {
      expect(answer.status, JSON.stringify(headerSets[i] ?? 'GetItem')).toBe(403);
      expect(answer.body.error).toMatch(new RegExp(`^the ${FORCED_TIMESTAMP_HEADER} header .*loopback.*--admin-token`));
    });
    expect(answers.at(-1)!.status).toBe(200);
    expect(JSON.parse(answers.at(-1)!.text)).toMatchObject({ Item: { pk: { S: 'kept' } } });
    await expectUnchanged(r);
  });

  it.skipIf(noOutside)('answers reads from anywhere', async () => {
    const paths = ['/admin/info', '/admin/status', '/admin/metrics', '/admin/clock', '/admin/links', `/admin/digest?table=${TABLE}`, `/admin/tables/${TABLE}`,
      `/admin/history?table=${TABLE}&key=${encodeURIComponent('{"pk":{"S":"a"}}')}`, '/metrics'];
    const answers = await callAll('outside', r, paths.map((path) => ({ method: 'GET', path })));
    paths.forEach((path, i) => expect(answers[i].status, path).toBe(200));
    expect(answers.at(-1)!.text).toContain('globaltables_clock_ignored_versions_total{region="us-east-1"} 0');
  });

  it('answers guarded routes from loopback', async () => {
    expect((await call('127.0.0.1', r, 'PUT', '/admin/clock', { skewMs: 0 })).status).toBe(200);
    expect((await call('127.0.0.1', r, 'POST', '/admin/links/heal')).status).toBe(200);
    expect((await call('127.0.0.1', r, 'GET', `/admin/snapshot?table=${TABLE}`)).status).toBe(200);
  });

  it(`honours ${FORCED_TIMESTAMP_HEADER} from loopback`, async () => {
    const timestampMs = Date.now() + 5_000;
    const [answer] = await callAll('127.0.0.1', r, [forcedPut('forced-loopback', timestampMs)]);
    expect(answer.status, answer.text).toBe(200);
    expect((await storedVersion(r, 'forced-loopback'))?.ts).toBe(timestampMs);
  });
});

describe('without an admin token, listening on :: (IPv4 callers appear IPv4-mapped)', () => {
  let r: TestRegion;
  beforeAll(async () => { r = await startGuardedRegion('::'); }, 30_000);
  afterAll(async () => { await r?.stop(); });

  it('answers ::ffff:127.0.0.1 and ::1 as loopback', async () => {
    expect((await call('127.0.0.1', r, 'PUT', '/admin/clock', { skewMs: 0 })).status).toBe(200);
    expect((await call('::1', r, 'PUT', '/admin/clock', { skewMs: 0 })).status).toBe(200);
  });

  it.skipIf(noOutside)('refuses an IPv4-mapped non-loopback caller', async () => {
    expect((await call('outside', r, 'PUT', '/admin/clock', { skewMs: 5_000 })).status).toBe(403);
    await expectUnchanged(r);
  });
});

describe('with an admin token', () => {
  let r: TestRegion;
  beforeAll(async () => { r = await startGuardedRegion('0.0.0.0', TOKEN); }, 30_000);
  afterAll(async () => { await r?.stop(); });
  const everyCaller = (): From[] => ['127.0.0.1', ...(noOutside ? [] : ['outside' as const])];

  it('refuses every guarded route without the token or with a wrong one with 401, from loopback too, and changes nothing', async () => {
    const calls = guardedRoutes().flatMap((route) => ([{}, { authorization: `Bearer ${WRONG}` }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }, { 'x-globaltables-admin-token': TOKEN }] as Record<string, string>[])
      .map((headers) => ({ ...route, headers })));
    for (const from of everyCaller()) {
      const answers = await callAll(from, r, calls);
      calls.forEach((c, i) => {
        expect(answers[i].status, `${c.name} from ${from} with ${JSON.stringify(c.headers)}`).toBe(401);
        expect(answers[i].body.error).toMatch(/admin token/);
        expect(answers[i].headers.get('www-authenticate')).toMatch(/^Bearer /);
      });
    }
    await expectUnchanged(r);
  });

  it('answers the right token from every address', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const from of everyCaller()) {
      const [set, reset, metricsReset, snapshot, invalid] = await callAll(from, r, [
        { method: 'PUT', path: '/admin/clock', body: { skewMs: 1_000 }, headers: auth },
        { method: 'PUT', path: '/admin/clock', body: { skewMs: 0 }, headers: auth },
        { method: 'POST', path: '/admin/metrics/reset', headers: auth },
        { method: 'GET', path: `/admin/snapshot?table=${TABLE}`, headers: auth },
        // Validation still applies to a caller with the token.
        { method: 'PUT', path: '/admin/clock', body: { skewMs: 1e300 }, headers: auth },
      ]);
      expect(set.body, from).toMatchObject({ skewMs: 1_000 });
      expect([reset.status, metricsReset.status, snapshot.status], from).toEqual([200, 200, 200]);
      expect(invalid.body, from).toMatchObject({ field: 'skewMs' });
    }
  });

  it(`refuses ${FORCED_TIMESTAMP_HEADER} without the token or with a wrong one with 401, from loopback too, and honours it with the token`, async () => {
    for (const from of everyCaller()) {
      const headerSets: Record<string, string>[] = [{}, { authorization: `Bearer ${WRONG}` }, { authorization: TOKEN }, { 'x-globaltables-admin-token': TOKEN }];
      const answers = await callAll(from, r, headerSets.map((headers) => forcedPut('forced', Date.now(), headers)));
      answers.forEach((answer, i) => {
        expect(answer.status, `from ${from} with ${JSON.stringify(headerSets[i])}`).toBe(401);
        expect(answer.body.error).toMatch(/admin token/);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
      });
      expect(await storedVersion(r, 'forced')).toBeNull();
      const timestampMs = Date.now() + 5_000;
      const [allowed] = await callAll(from, r, [forcedPut(`forced-from-${from}`, timestampMs, { authorization: `Bearer ${TOKEN}` })]);
      expect(allowed.status, allowed.text).toBe(200);
      expect((await storedVersion(r, `forced-from-${from}`))?.ts).toBe(timestampMs);
    }
  });

  it('answers reads without the token', async () => {
    expect((await call('127.0.0.1', r, 'GET', '/admin/status')).status).toBe(200);
  });
});
