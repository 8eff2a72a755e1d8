/**
 * The HTTP front door against a real region: body limits, slow and short bodies, invalid UTF-8,
 * deep nesting and deep expressions. After each case the region still answers and the table
 * holds exactly what it held before.
 */
import { GetItemCommand, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NESTING_LIMIT_MESSAGE } from '../../src/core/nesting.js';
import { apiHead, openRaw } from '../helpers/rawHttp.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

const MiB = 1024 * 1024;
const SERIALIZATION = { __type: 'com.amazon.coral.service#SerializationException' };
const VALIDATION = 'com.amazon.coral.validate#ValidationException';

let region: TestRegion;
/** Timeouts lowered so that the slow-client cases end in a second, not a minute. */
let impatient: TestRegion;
let table: string;
let baseline: string;

async function snapshot(): Promise<string> {
  const { Items = [] } = await region.client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return JSON.stringify(Items.map((item) => JSON.stringify(item)).sort());
}

beforeAll(async () => {
  [region, impatient] = await Promise.all([
    startTestRegion({ http: { refusedDrainMs: 200 } }),
    startTestRegion({ http: { headersTimeoutMs: 300, requestTimeoutMs: 500, timeoutCheckIntervalMs: 50, refusedDrainMs: 200 } }),
  ]);
  table = await createTable(region.client);
  await region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a\uFFFD' }, v: { N: '1' } } }));
  await region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'plain' }, v: { N: '1' } } }));
  baseline = await snapshot();
});
afterAll(async () => { await Promise.all([region?.stop(), impatient?.stop()]); });

afterEach(async () => {
  expect((await region.client.send(new ListTablesCommand({}))).TableNames).toContain(table);
  expect(await impatient.client.send(new ListTablesCommand({}))).toBeDefined();
  expect(await snapshot()).toBe(baseline);
});

async function call(target: string, body: string | Uint8Array, endpoint = region.region.endpoint): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      Authorization: 'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'X-Amz-Date': '20240101T000000Z',
      'X-Amz-Target': `DynamoDB_20120810.${target}`,
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

describe('request body limit (16 MiB, as DynamoDB)', () => {
  it('refuses a 100 MB body by its declared length, without reading it', async () => {
    const conn = await openRaw(region.region.port);
    await conn.send(apiHead('ListTables', 100_000_000));
    const chunk = Buffer.alloc(MiB, 0x20);
    let sent = 0;
    let sentWhenAnswered = -1;
    void conn.answer.then(() => { sentWhenAnswered = sent; }, () => undefined);
    while (sent < 100_000_000 && await conn.send(chunk)) sent += chunk.length;
    const answer = await conn.answer;
    await conn.closed;
    expect(answer.status).toBe(413);
    // DynamoDB's 413: an empty body, sent chunked.
    expect(answer.body).toBe('');
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.headers['content-length']).toBeUndefined();
    expect(answer.headers.connection).toBe('close');
    // Answered before the body, and closed long before all of it: at most the drain allowance
    // (32 MiB) and the sockets' buffers were taken.
    expect(sentWhenAnswered).toBeGreaterThanOrEqual(0);
    expect(sentWhenAnswered).toBeLessThan(100_000_000);
    expect(sent).toBeLessThan(64 * MiB);
  });

  it('answers a Content-Length of 10^12 with a 19-byte body at once and closes', async () => {
    const started = Date.now();
    const conn = await openRaw(region.region.port);
    await conn.send(apiHead('ListTables', '1000000000000') + '{"ExclusiveStart":1');
    expect((await conn.answer).status).toBe(413);
    await conn.closed;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a chunked body as soon as it passes the limit', async () => {
    const conn = await openRaw(region.region.port);
    await conn.send(apiHead('ListTables'));
    const chunk = Buffer.concat([Buffer.from(`${MiB.toString(16)}\r\n`), Buffer.alloc(MiB, 0x20), Buffer.from('\r\n')]);
    let sent = 0;
    while (sent < 100 * MiB && await conn.send(chunk)) sent += MiB;
    expect((await conn.answer).status).toBe(413);
    await conn.closed;
    expect(sent).toBeGreaterThanOrEqual(16 * MiB);
    expect(sent).toBeLessThan(100 * MiB);
  });

  it('accepts a body of exactly 16 MiB and refuses one byte more', async () => {
    const padded = (size: number): string => `{${' '.repeat(size - 2)}}`;
    const exact = await call('ListTables', padded(16 * MiB));
    expect(exact.status).toBe(200);
    expect(exact.json.TableNames).toContain(table);
    const over = await fetch(region.region.endpoint, { method: 'POST', headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables', Authorization: 'x' }, body: padded(16 * MiB + 1) });
    expect(over.status).toBe(413);
    expect(over.headers.get('transfer-encoding')).toBe('chunked');
    expect(await over.text()).toBe('');
  });

  it('applies the API limit to every POST to /, with or without a target', async () => {
    const padded = (size: number): string => `{${' '.repeat(size - 2)}}`;
    const post = (size: number) => fetch(region.region.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: padded(size) });
    const over = await post(16 * MiB + 1);
    expect(over.status).toBe(413);
    expect(await over.text()).toBe('');
    // Past the admin API's limit but within DynamoDB's: the body is read, and the missing target answered.
    const within = await post(2 * MiB);
    expect(within.status).toBe(400);
    expect(await within.json()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });

  it('takes a chunked body under the limit', async () => {
    const conn = await openRaw(region.region.port);
    const body = JSON.stringify({ TableName: table, Key: { pk: { S: 'plain' } } });
    await conn.send(`${apiHead('GetItem')}${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
    const answer = await conn.answer.catch(() => undefined);
    conn.socket.destroy();
    expect(answer?.status).toBe(200);
    expect(JSON.parse(answer!.body).Item).toEqual({ pk: { S: 'plain' }, v: { N: '1' } });
  });

  it('limits the admin API to 1 MiB', async () => {
    const post = (size: number) => fetch(`${region.region.endpoint}/admin/metrics/reset`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"pad":"${'x'.repeat(size - 10)}"}`,
    });
    const over = await post(MiB + 1);
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: `request body over ${MiB} bytes` });
    // Under the limit the body reaches the route, whose schema refuses the unknown member.
    const under = await post(1000);
    expect(under.status).toBe(400);
    expect(await under.json()).toMatchObject({ field: 'pad' });
  });
});

describe('slow and short bodies', () => {
  it('drops a body shorter than its declared length after the request timeout', async () => {
    const started = Date.now();
    const conn = await openRaw(impatient.region.port);
    await conn.send(apiHead('ListTables', 1000) + '{"ExclusiveStart":1');
    expect((await conn.answer).status).toBe(408);
    await conn.closed;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('drops a client that never finishes its headers', async () => {
    const conn = await openRaw(impatient.region.port);
    await conn.send('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n');
    expect((await conn.answer).status).toBe(408);
    await conn.closed;
  });

  it('answers malformed HTTP with 400 and closes', async () => {
    for (const request of [
      'NOT HTTP AT ALL\r\n\r\n',
      `${apiHead('ListTables', 2).replace('\r\n\r\n', '\r\nTransfer-Encoding: chunked\r\n\r\n')}{}`,
      apiHead('ListTables', 'ten'),
    ]) {
      const conn = await openRaw(region.region.port);
      await conn.send(request);
      expect((await conn.answer).status).toBe(400);
      await conn.closed;
    }
  });

  it('survives a client that goes away in the middle of its body', async () => {
    const conn = await openRaw(region.region.port);
    await conn.send(apiHead('PutItem', 1000) + '{"TableName":"');
    conn.socket.destroy();
    await conn.closed;
    const chunked = await openRaw(region.region.port);
    await chunked.send(`${apiHead('PutItem')}5\r\n{"Tab`);
    chunked.socket.destroy();
    await chunked.closed;
  });
});

describe('invalid UTF-8 and lone surrogates', () => {
  const putWithKey = (keyBytes: Buffer) => call('PutItem', Buffer.concat([
    Buffer.from(`{"TableName":"${table}","Item":{"pk":{"S":"`), keyBytes, Buffer.from('"},"v":{"N":"2"}}}'),
  ]));

  it.each([
    ['a stray continuation byte', [0x61, 0xff]],
    ['another invalid byte', [0x61, 0xfe]],
    ['a truncated sequence', [0x61, 0xe2, 0x82]],
    ['an overlong encoding', [0x61, 0xc0, 0xaf]],
    ['an encoded surrogate', [0x61, 0xed, 0xa0, 0x80]],
  ])('refuses %s in a key with SerializationException and writes nothing', async (_name, bytes) => {
    const { status, json } = await putWithKey(Buffer.from(bytes));
    expect(status).toBe(400);
    expect(json).toEqual(SERIALIZATION);
    // The replacement character's own key is untouched: no two keys collide.
    const { Item } = await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a\uFFFD' } } }));
    expect(Item?.v).toEqual({ N: '1' });
  });

  it('refuses an unpaired surrogate escape and keeps a paired one', async () => {
    for (const escape of ['a\\ud800', 'a\\udc00b', '\\ude00\\ud83d']) {
      const { status, json } = await putWithKey(Buffer.from(escape));
      expect(status).toBe(400);
      expect(json).toEqual(SERIALIZATION);
    }
    const { status } = await call('GetItem', `{"TableName":"${table}","Key":{"pk":{"S":"\\ud83d\\ude00"}}}`);
    expect(status).toBe(200);
  });
});

describe('nesting', () => {
  const deep = (levels: number): string => `${'{"M":{"a":'.repeat(levels - 1)}{"S":"x"}${'}}'.repeat(levels - 1)}`;
  const deepList = (levels: number): string => `${'{"L":['.repeat(levels - 1)}{"N":"1"}${']}'.repeat(levels - 1)}`;
  const refused = async (target: string, body: string): Promise<void> => {
    const { status, json } = await call(target, body);
    expect({ status, json }).toEqual({ status: 400, json: { __type: VALIDATION, message: NESTING_LIMIT_MESSAGE } });
  };

  it.each([5000, 33])('refuses %i levels in Item, ExpressionAttributeValues and Key', async (levels) => {
    await refused('PutItem', `{"TableName":"${table}","Item":{"pk":{"S":"deep"},"d":${deep(levels)}}}`);
    await refused('PutItem', `{"TableName":"${table}","Item":{"pk":{"S":"deep"},"d":${deepList(levels)}}}`);
    await refused('PutItem', `{"TableName":"${table}","Item":{"pk":{"S":"deep"}},"ConditionExpression":"d = :v","ExpressionAttributeValues":{":v":${deep(levels)}}}`);
    await refused('UpdateItem', `{"TableName":"${table}","Key":{"pk":{"S":"plain"}},"UpdateExpression":"SET d = :v","ExpressionAttributeValues":{":v":${deep(levels)}}}`);
    await refused('GetItem', `{"TableName":"${table}","Key":{"pk":${deep(levels)}}}`);
    await refused('DeleteItem', `{"TableName":"${table}","Key":{"pk":${deep(levels)}}}`);
    await refused('Scan', `{"TableName":"${table}","ExclusiveStartKey":{"pk":${deep(levels)}}}`);
    await refused('BatchWriteItem', `{"RequestItems":{"${table}":[{"PutRequest":{"Item":{"pk":{"S":"deep"},"d":${deep(levels)}}}}]}}`);
    await refused('BatchGetItem', `{"RequestItems":{"${table}":{"Keys":[{"pk":${deep(levels)}}]}}}`);
    await refused('PutItem', `{"TableName":"${table}","Item":{"pk":{"S":"deep"}},"Expected":{"d":{"Value":${deep(levels)}}}}`);
    await refused('UpdateItem', `{"TableName":"${table}","Key":{"pk":{"S":"plain"}},"AttributeUpdates":{"d":{"Action":"PUT","Value":${deep(levels)}}}}`);
    await refused('Scan', `{"TableName":"${table}","ScanFilter":{"d":{"ComparisonOperator":"EQ","AttributeValueList":[${deep(levels)}]}}}`);
    await refused('Query', `{"TableName":"${table}","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[${deep(levels)}]}}}`);
  });

  it('refuses JSON nested deeper than any valid request, wherever it is', async () => {
    await refused('ListTables', `{"Unknown":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  });

  it('accepts 32 levels', async () => {
    const scan = await call('Scan', `{"TableName":"${table}","FilterExpression":"d = :v","ExpressionAttributeValues":{":v":${deep(32)}}}`);
    expect(scan.status).toBe(200);
    expect(scan.json.Count).toBe(0);
  });
});

describe('expressions', () => {
  const parens = '('.repeat(4096);
  const refused = async (target: string, body: Record<string, unknown>, message: string): Promise<void> => {
    const { status, json } = await call(target, JSON.stringify({ TableName: table, ...body }));
    expect({ status, json }).toEqual({ status: 400, json: { __type: VALIDATION, message } });
  };
  const key = { pk: { S: 'plain' } };
  const values = { ':v': { N: '1' } };

  it('answers 4,096 ( in every kind of expression with a syntax error', async () => {
    await refused('PutItem', { Item: key, ConditionExpression: parens }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("');
    await refused('Scan', { FilterExpression: parens }, 'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "("');
    await refused('Query', { KeyConditionExpression: parens }, 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "("');
    await refused('UpdateItem', { Key: key, UpdateExpression: parens }, 'Invalid UpdateExpression: Syntax error; token: "(", near: "(("');
    await refused('UpdateItem', { Key: key, UpdateExpression: `SET v = ${'('.repeat(4088)}`, ExpressionAttributeValues: values }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "("');
    await refused('GetItem', { Key: key, ProjectionExpression: parens }, 'Invalid ProjectionExpression: Syntax error; token: "(", near: "(("');
    await refused('PutItem', { Item: key, ConditionExpression: `${parens}(` }, 'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097');
  });

  it('answers deep but well-formed nesting with DynamoDB\'s own errors', async () => {
    const redundant = `${'('.repeat(2044)}v = :v${')'.repeat(2044)}`;
    await refused('PutItem', { Item: key, ConditionExpression: redundant, ExpressionAttributeValues: values }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
    const functions = `v < ${'f('.repeat(1355)}v${')'.repeat(1355)}`;
    await refused('PutItem', { Item: key, ConditionExpression: functions }, 'Invalid ConditionExpression: Invalid function name; function: f');
  });

  it('counts operators: 299 pass, the 301st is refused', async () => {
    const nested = (depth: number): string => `v<:w${' OR (v<:w'.repeat(depth)}${')'.repeat(depth)}`;
    const accepted = await call('Scan', JSON.stringify({ TableName: table, FilterExpression: nested(149), ExpressionAttributeValues: { ':w': { N: '2' } } }));
    expect(accepted.status).toBe(200);
    expect(accepted.json.Count).toBe(2);
    await refused('Scan', { FilterExpression: nested(300), ExpressionAttributeValues: { ':w': { N: '2' } } }, 'Invalid FilterExpression: The expression contains too many operators; operator count: 301');
    await refused('PutItem', { Item: key, ConditionExpression: `${'NOT '.repeat(1000)}v = :v`, ExpressionAttributeValues: values }, 'Invalid ConditionExpression: The expression contains too many operators; operator count: 301');
  });
});
