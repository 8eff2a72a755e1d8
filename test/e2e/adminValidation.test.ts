/**
 * The admin API checks what it is given: every body and query against its schema, numbers within
 * bounds, a refusal a 400 that names the field, and a refused call changes nothing — above all, no
 * clock value can poison the region's hybrid logical clock. So does the header that forces a
 * write's timestamp, with DynamoDB's ValidationException.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { MAX_CLOCK_SKEW_MS } from '../../src/core/version.js';
import { FORCED_TIMESTAMP_HEADER } from '../../src/dynamo/forcedTimestamp.js';
import { startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PEER = 'eu-west-1';

let r: TestRegion;
let table: string;
let keySeq = 0;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, body?: unknown, raw?: string): Promise<Answer> {
  const response = await fetch(`${r.region.endpoint}${path}`, {
    method,
    ...(body === undefined && raw === undefined ? {} : { body: raw ?? JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) as Record<string, unknown> : { text } };
}

/** Writes an item and returns the version the region stamped on it. */
async function writeAndReadVersion(): Promise<{ ts: number; counter: number }> {
  const pk = `k-${keySeq += 1}`;
  await r.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk } } }));
  const key = encodeURIComponent(JSON.stringify({ pk: { S: pk } }));
  const { body } = await call('GET', `/admin/item?table=${table}&key=${key}`);
  return (body.record as { version: { ts: number; counter: number } }).version;
}

function expectRefused(answer: Answer, field: string | undefined): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(typeof answer.body.error).toBe('string');
  if (field === undefined) {
    expect(answer.body.field).toBeUndefined();
  } else {
    expect(answer.body.field).toBe(field);
    expect(answer.body.error).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: `));
  }
}

beforeAll(async () => {
  // A peer that never answers: the region still has a link from it to set.
  r = await startTestRegion({ changeStream: {}, peers: [{ name: PEER, endpoint: 'http://127.0.0.1:9' }], log: () => undefined });
  table = uniqueTableName('admin');
  await r.client.send(new CreateTableCommand({
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
}, 30_000);
afterAll(async () => { await r?.stop(); });

describe('PUT /admin/clock', () => {
  it('refuses a skew of 1e300, "NaN", a string, a fraction and two days, naming skewMs, and the clock stays sane', async () => {
    for (const skewMs of [1e300, 'NaN', '500', 1.5, 2 * DAY_MS, -2 * DAY_MS, MAX_CLOCK_SKEW_MS + 1, null, true]) {
      expectRefused(await call('PUT', '/admin/clock', { skewMs }), 'skewMs');
    }
    // A bare NaN (or Infinity) is not JSON at all.
    expectRefused(await call('PUT', '/admin/clock', undefined, '{"skewMs": NaN}'), undefined);
    expectRefused(await call('PUT', '/admin/clock', undefined, '{"skewMs": Infinity}'), undefined);
    expect((await call('GET', '/admin/clock')).body).toMatchObject({ mode: 'hlc', skewMs: 0 });
    const before = Date.now();
    const version = await writeAndReadVersion();
    expect(version.ts).toBeGreaterThanOrEqual(before);
    expect(version.ts).toBeLessThanOrEqual(Date.now());
  });

  it('refuses an unknown mode, an unknown field and a body that is not an object', async () => {
    expectRefused(await call('PUT', '/admin/clock', { mode: 'lamport' }), 'mode');
    expectRefused(await call('PUT', '/admin/clock', { skewMS: 5 }), 'skewMS');
    expectRefused(await call('PUT', '/admin/clock', [1]), undefined);
    expectRefused(await call('PUT', '/admin/clock', undefined, '{"skewMs":'), undefined);
    expect((await call('GET', '/admin/clock')).body).toMatchObject({ mode: 'hlc', skewMs: 0 });
  });

  it('accepts a skew of a day either way; set back to 0, the clock keeps its monotonic guarantee', async () => {
    expect(await call('PUT', '/admin/clock', { skewMs: MAX_CLOCK_SKEW_MS })).toMatchObject({ status: 200, body: { skewMs: MAX_CLOCK_SKEW_MS } });
    const ahead = await writeAndReadVersion();
    expect(ahead.ts).toBeGreaterThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS - 60_000);
    expect((await call('PUT', '/admin/clock', { skewMs: 0 })).status).toBe(200);
    // The hybrid logical clock never goes back: later writes keep ordering after the skewed one.
    const after = await writeAndReadVersion();
    expect(after.ts).toBe(ahead.ts);
    expect(after.counter).toBe(ahead.counter + 1);
    expect(after.ts).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS);
    expect((await call('PUT', '/admin/clock', { skewMs: -MAX_CLOCK_SKEW_MS, mode: 'wall' })).body).toMatchObject({ mode: 'wall', skewMs: -MAX_CLOCK_SKEW_MS });
    expect((await call('PUT', '/admin/clock', { skewMs: 0, mode: 'hlc' })).status).toBe(200);
  });
});

/** A PutItem of a fresh key with the forced-timestamp header, raw, so any value can be sent. */
async function putWithTimestamp(value: string): Promise<{ status: number; body: Record<string, unknown>; pk: string }> {
  const pk = `k-${keySeq += 1}`;
  const response = await fetch(r.region.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.PutItem',
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20260101T000000Z',
      [FORCED_TIMESTAMP_HEADER]: value,
    },
    body: JSON.stringify({ TableName: table, Item: { pk: { S: pk } } }),
  });
  return { status: response.status, body: await response.json() as Record<string, unknown>, pk };
}

async function storedVersion(pk: string): Promise<{ ts: number; counter: number } | null> {
  const key = encodeURIComponent(JSON.stringify({ pk: { S: pk } }));
  const { body } = await call('GET', `/admin/item?table=${table}&key=${key}`);
  return (body.record as { version: { ts: number; counter: number } } | null)?.version ?? null;
}

describe(`the ${FORCED_TIMESTAMP_HEADER} header`, () => {
  it('refuses a timestamp beyond a day past true time, negative, fractional or not a number with a ValidationException, and writes nothing', async () => {
    expect((await call('PUT', '/admin/clock', { mode: 'wall' })).status).toBe(200);
    const lsnBefore = r.region.ctx.store.lastLsn();
    const values = ['1e300', String(Date.now() + 2 * DAY_MS), String(Date.now() + MAX_CLOCK_SKEW_MS + 60_000), '-1', '1.5', 'abc', '', '0x10', '99999999999999999', '1000, 2000'];
    for (const value of values) {
      const answer = await putWithTimestamp(value);
      expect(answer.status, value).toBe(400);
      expect(answer.body.__type, value).toBe('com.amazon.coral.validate#ValidationException');
      expect(answer.body.message, value).toMatch(new RegExp(`^The forced timestamp \\(${FORCED_TIMESTAMP_HEADER}\\) must be ms since the epoch, an integer from 0 to \\d+ \\(true time plus a day\\)$`));
      expect(await storedVersion(answer.pk), value).toBeNull();
    }
    expect(r.region.ctx.store.lastLsn()).toBe(lsnBefore);
    // Nothing was forced: the next write is stamped by the clock.
    const before = Date.now();
    const version = await writeAndReadVersion();
    expect(version.ts).toBeGreaterThanOrEqual(before);
    expect(version.ts).toBeLessThanOrEqual(Date.now());
    expect((await call('PUT', '/admin/clock', { mode: 'hlc' })).status).toBe(200);
  });

  it('stamps a timestamp from the epoch to a day ahead on its own write only', async () => {
    expect((await call('PUT', '/admin/clock', { mode: 'wall' })).status).toBe(200);
    const epoch = await putWithTimestamp('0');
    expect(epoch.status).toBe(200);
    expect((await storedVersion(epoch.pk))?.ts).toBe(0);
    const old = await putWithTimestamp('1000');
    expect((await storedVersion(old.pk))?.ts).toBe(1000);
    const soon = Date.now() + MAX_CLOCK_SKEW_MS - 1000;
    const ahead = await putWithTimestamp(String(soon));
    expect(ahead.status).toBe(200);
    expect((await storedVersion(ahead.pk))?.ts).toBe(soon);
    expect((await writeAndReadVersion()).ts).toBeLessThanOrEqual(Date.now());
    expect((await call('PUT', '/admin/clock', { mode: 'hlc' })).status).toBe(200);
  });
});

describe('PUT /admin/links/<source>', () => {
  it('refuses delays beyond a minute, negative or mistyped, and unknown settings, naming the field; the link is unchanged', async () => {
    for (const [field, value] of [['latencyMs', 60_001], ['latencyMs', 1e300], ['latencyMs', -1], ['latencyMs', '10'], ['jitterMs', 86_400_000], ['stalled', 'yes']] as const) {
      expectRefused(await call('PUT', `/admin/links/${PEER}`, { [field]: value }), field);
    }
    expectRefused(await call('PUT', `/admin/links/${PEER}`, { latency: 5 }), 'latency');
    expect((await call('GET', `/admin/links/${PEER}`)).body).toMatchObject({ latencyMs: 0, jitterMs: 0, stalled: false });
    expect((await call('PUT', `/admin/links/${PEER}`, { latencyMs: 60_000, jitterMs: 12.5 })).body).toMatchObject({ latencyMs: 60_000, jitterMs: 12.5 });
    expect((await call('POST', `/admin/links/${PEER}/heal`)).body).toMatchObject({ latencyMs: 0, jitterMs: 0 });
  });
});

describe('query strings and bodies of the other routes', () => {
  it('refuses bad table names, keys, limits and unknown parameters, naming them', async () => {
    expectRefused(await call('GET', '/admin/conflicts?limit=abc'), 'limit');
    expectRefused(await call('GET', '/admin/conflicts?limit=100001'), 'limit');
    expectRefused(await call('GET', '/admin/conflicts?after=-1'), 'after');
    expectRefused(await call('GET', '/admin/conflicts?table=x'), 'table');
    expectRefused(await call('GET', '/admin/digest?table=ok-table,x'), 'table.1');
    expectRefused(await call('GET', `/admin/item?table=${table}&key=not-json`), 'key');
    expectRefused(await call('GET', `/admin/item?table=${table}&key=${encodeURIComponent('"pk"')}`), 'key');
    expectRefused(await call('GET', `/admin/item?key=${encodeURIComponent('{"pk":{"S":"a"}}')}`), 'table');
    expectRefused(await call('GET', '/admin/snapshot'), 'table');
    expectRefused(await call('GET', '/admin/tables/x'), 'name');
    expectRefused(await call('GET', '/admin/info?verbose=1'), 'verbose');
    expectRefused(await call('GET', '/metrics?x=1'), 'x');
    expectRefused(await call('GET', '/admin/events?x=1'), 'x');
    expectRefused(await call('GET', `/admin/history?table=${table}&key=not-json`), 'key');
    expectRefused(await call('GET', `/admin/history?key=${encodeURIComponent('{"pk":{"S":"a"}}')}`), 'table');
    expectRefused(await call('GET', `/admin/history?table=${table}&key=${encodeURIComponent('{"id":{"S":"a"}}')}`), 'key');
    expectRefused(await call('POST', '/admin/metrics/reset', { all: true }), 'all');
    expectRefused(await call('POST', '/admin/nats/kill', { hold: 'yes' }), 'hold');
    expect((await call('GET', '/admin/conflicts?limit=100000&after=0')).status).toBe(200);
    expect((await call('GET', `/admin/digest?table=${table}`)).status).toBe(200);
    expect((await call('GET', `/admin/history?table=${table}&key=${encodeURIComponent('{"pk":{"S":"a"}}')}`)).status).toBe(200);
    expect((await call('POST', '/admin/metrics/reset', {})).status).toBe(200);
  });

  it('refuses malformed replica requests before touching anything', async () => {
    const schema = {
      name: 'replica-table', keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST', throughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
    };
    const create = (overrides: Record<string, unknown>) => call('POST', '/admin/replicas/create', { schema, members: { [PEER]: 'ACTIVE' }, coordinator: PEER, ...overrides });
    expectRefused(await create({ schema: { ...schema, keySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }] } }), 'schema.keySchema');
    expectRefused(await create({ schema: { ...schema, keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } }), 'schema.keySchema.0.AttributeName');
    expectRefused(await create({ schema: { ...schema, name: 'x' } }), 'schema.name');
    expectRefused(await create({ members: { [PEER]: 'GONE' } }), `members.${PEER}`);
    expectRefused(await create({ members: { [PEER]: 'ACTIVE', 'EU West': 'ACTIVE' } }), 'members.EU West');
    // A prototype key is dropped, never stored: what remains names no region.
    expectRefused(await create({ members: JSON.parse('{"__proto__": "ACTIVE"}') }), 'members');
    expectRefused(await create({ members: {} }), 'members');
    expectRefused(await create({ coordinator: 'ap-southeast-2' }), 'coordinator');
    expectRefused(await call('POST', '/admin/replicas/membership', { table, members: [] }), 'members');
    expectRefused(await call('POST', '/admin/replicas/delete', {}), 'table');
    expectRefused(await call('POST', '/admin/replicas/delete', { table: 7 }), 'table');
    expect((await call('GET', `/admin/tables/${table}`)).status).toBe(200);
    expect((await call('GET', '/admin/tables/replica-table')).status).toBe(404);
  });
});
