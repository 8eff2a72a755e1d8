/**
 * Compressed requests and answers: gzip and deflate bodies are decoded (never past the body limit,
 * whatever they inflate to), a body that does not decode is a server error that changes nothing,
 * and an answer of 4 KiB or more is compressed for a client that accepts it, its x-amz-crc32 taken
 * over the compressed bytes.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { crc32, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, signedCall, type Exchange } from '../helpers/httpExchange.js';
import { clientFor, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

const MiB = 1024 * 1024;
let region: TestRegion;
let table: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client);
});
afterAll(async () => { await region.stop(); });

const send = (options: Parameters<typeof exchange>[1]): Promise<Exchange> => exchange(region.region.port, options);
const putBody = (pk: string, extra = ''): string => `{"TableName":"${table}","Item":{"pk":{"S":"${pk}"}}${extra}}`;

async function stored(pk: string): Promise<Record<string, unknown> | undefined> {
  return (await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;
}

async function putEncoded(encoding: string, body: Buffer): Promise<Exchange> {
  return send({ headers: { ...signedCall('PutItem'), 'Content-Encoding': encoding }, body });
}

describe('compressed requests', () => {
  it('decodes gzip, deflate and concatenated gzip members', async () => {
    expect((await putEncoded('gzip', gzipSync(putBody('gzipped')))).status).toBe(200);
    expect((await putEncoded('deflate', deflateSync(putBody('deflated')))).status).toBe(200);
    const text = putBody('two members');
    expect((await putEncoded('gzip', Buffer.concat([gzipSync(text.slice(0, 10)), gzipSync(text.slice(10))]))).status).toBe(200);
    for (const pk of ['gzipped', 'deflated', 'two members']) expect(await stored(pk)).toEqual({ pk: { S: pk } });
  });

  it.each([
    ['a body that is not gzip', 'gzip', () => Buffer.from(putBody('not gzip'))],
    ['a gzip body cut short', 'gzip', () => gzipSync(putBody('cut short')).subarray(0, -1)],
    ['an empty gzip body', 'gzip', () => Buffer.alloc(0)],
    ['an encoding no one knows', 'garbage', () => Buffer.from(putBody('garbage'))],
  ])('answers %s with a server error and writes nothing', async (_case, encoding, body) => {
    const answer = await putEncoded(encoding, body());
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body.toString())).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' });
    for (const pk of ['not gzip', 'cut short', 'garbage']) expect(await stored(pk)).toBeUndefined();
  });

  it('refuses a body that inflates past 16 MiB with 413, without inflating it all', async () => {
    const padded = gzipSync(putBody('bomb', `${' '.repeat(16 * MiB)}`));
    expect(padded.length).toBeLessThan(MiB);
    const refused = await putEncoded('gzip', padded);
    expect(refused.status).toBe(413);
    expect(refused.headers['transfer-encoding']).toBe('chunked');
    expect(refused.body.length).toBe(0);
    expect(await stored('bomb')).toBeUndefined();
    // 4 GiB of spaces in 4 MiB: a thousand gzip members of 4 MiB each.
    const member = gzipSync(Buffer.alloc(4 * MiB, 0x20));
    const started = Date.now();
    const bomb = await putEncoded('gzip', Buffer.concat(Array.from({ length: 1024 }, () => member)));
    expect(bomb.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Up to exactly the limit it is read.
    const exact = putBody('exactly 16 MiB');
    const fits = await putEncoded('gzip', gzipSync(exact.replace('}}', `}}${' '.repeat(16 * MiB - exact.length)}`)));
    expect(fits.status).toBe(200);
  });

  it('takes a request the SDK compresses', async () => {
    const client = clientFor(region.region.endpoint);
    client.middlewareStack.add((next) => async (args) => {
      const request = args.request as { body: unknown; headers: Record<string, string> };
      const body = gzipSync(request.body as string);
      request.body = body;
      request.headers['content-encoding'] = 'gzip';
      request.headers['content-length'] = String(body.length);
      return next(args);
    }, { step: 'finalizeRequest', priority: 'high' });
    try {
      await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'from the SDK' }, v: { S: 'x'.repeat(10_000) } } }));
      const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'from the SDK' } }, ConsistentRead: true }));
      expect(Item?.v).toEqual({ S: 'x'.repeat(10_000) });
    } finally {
      client.destroy();
    }
  });
});

describe('compressed answers', () => {
  const big = 'y'.repeat(5000);
  const getBig = (acceptEncoding?: string): Promise<Exchange> => send({
    headers: { ...signedCall('GetItem'), ...(acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding }) },
    body: JSON.stringify({ TableName: table, Key: { pk: { S: 'big' } }, ConsistentRead: true }),
  });
  beforeAll(async () => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'big' }, v: { S: big } } }));
  });

  it.each([
    ['gzip', gunzipSync],
    ['deflate', inflateSync],
  ])('compresses an answer of 4 KiB or more with %s, its checksum over the bytes sent', async (encoding, decode) => {
    const answer = await getBig(encoding);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe(encoding);
    expect(answer.headers['content-length']).toBe(String(answer.body.length));
    expect(answer.headers['x-amz-crc32']).toBe(String(crc32(answer.body)));
    expect(answer.body.length).toBeLessThan(500);
    expect(JSON.parse(decode(answer.body).toString()).Item.v).toEqual({ S: big });
  });

  it('leaves an answer as it is when not asked, when asked for no known encoding, or when it is small', async () => {
    for (const answer of [await getBig(), await getBig('identity'), await getBig('br')]) {
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.headers['x-amz-crc32']).toBe(String(crc32(answer.body)));
      expect(JSON.parse(answer.body.toString()).Item.v).toEqual({ S: big });
    }
    const small = await send({ headers: { ...signedCall('ListTables'), 'Accept-Encoding': 'gzip' }, body: '{}' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toHaveProperty('TableNames');
  });

  it('serves the SDK (which asks for no encoding) uncompressed answers', async () => {
    const { Item } = await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'big' } }, ConsistentRead: true }));
    expect(Item?.v).toEqual({ S: big });
  });
});
