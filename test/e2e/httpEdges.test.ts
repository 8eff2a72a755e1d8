/**
 * DynamoDB's answers at the edges of its HTTP protocol, byte for byte as recorded against the
 * service: 404s for what is not a JSON POST, the health line, content types, the order of the
 * protocol's own errors (serialization, unknown operation, signature), and CORS.
 */
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, signedCall, type Exchange } from '../helpers/httpExchange.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const send = (options: Parameters<typeof exchange>[1]): Promise<Exchange> => exchange(region.region.port, options);
const REQUEST_ID = /^[0-9A-Z]{52}$/;

function expectNotFound(answer: Exchange): void {
  expect(answer.status).toBe(404);
  expect(answer.body.toString()).toBe('<UnknownOperationException/>\n');
  expect(answer.headers['x-amz-crc32']).toBe('3552371480');
  expect(answer.headers['content-length']).toBe('29');
  expect(answer.headers['x-amzn-requestid']).toMatch(REQUEST_ID);
}

/** A 400 with exactly this body, its recorded CRC32, and the content type it was asked in. */
function expectError(answer: Exchange, body: Record<string, unknown>, checksum: number, contentType = 'application/json'): void {
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.body.toString())).toEqual(body);
  expect(answer.headers['x-amz-crc32']).toBe(String(checksum));
  expect(answer.headers['content-type']).toBe(contentType);
  expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(body))));
  expect(answer.headers['x-amzn-requestid']).toMatch(REQUEST_ID);
}

const SERIALIZATION = { __type: 'com.amazon.coral.service#SerializationException' };
const UNKNOWN_OPERATION = { __type: 'com.amazon.coral.service#UnknownOperationException' };
const MISSING_TOKEN = { __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' };

describe('what is not a JSON POST', () => {
  it.each(['PUT', 'DELETE', 'PATCH'])('answers %s with 404', async (method) => {
    expectNotFound(await send({ method }));
  });

  it('answers OPTIONS without an Origin with 404', async () => {
    expectNotFound(await send({ method: 'OPTIONS' }));
  });

  it.each([
    ['no content type', undefined],
    ['an unknown content type', 'whatever'],
    ['application/x-amz-json-1.1', 'application/x-amz-json-1.1'],
    ['a content type that only starts like JSON', 'application/jsonasdf'],
  ])('answers a body with %s with 404', async (_case, contentType) => {
    expectNotFound(await send({ body: 'hi', headers: contentType === undefined ? {} : { 'Content-Type': contentType } }));
  });

  it('answers a GET with the health line', async () => {
    const answer = await send({ method: 'GET' });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('healthy: dynamodb.us-east-1.amazonaws.com ');
    expect(answer.headers['x-amz-crc32']).toBe(String(crc32(answer.body)));
    expect(answer.headers['content-length']).toBe(String(answer.body.length));
    expect(answer.headers['x-amzn-requestid']).toMatch(REQUEST_ID);
  });
});

describe('content types', () => {
  it.each([
    ['application/json', 'application/json'],
    ['application/x-amz-json-1.0', 'application/x-amz-json-1.0'],
    ['application/json;', 'application/json'],
    ['  application/json  ;   asfd', 'application/json'],
    ['application/json;blahblah', 'application/json'],
    ['application/x-amz-json-1.0;blahblah', 'application/x-amz-json-1.0'],
  ])('answers a body that is not JSON, sent as %s, with SerializationException in %s', async (contentType, answeredIn) => {
    expectError(await send({ body: 'hi', headers: { 'Content-Type': contentType } }), SERIALIZATION, 3948637019, answeredIn);
  });

  it('serves API calls sent as application/json, answering in application/json', async () => {
    const answer = await send({ body: '{}', headers: signedCall('ListTables', 'application/json') });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body.toString())).toHaveProperty('TableNames');
    expect(answer.headers['x-amz-crc32']).toBe(String(crc32(answer.body)));
  });
});

describe('the protocol errors, in DynamoDB\'s order', () => {
  it('answers a request without a target with UnknownOperationException', async () => {
    expectError(await send({}), UNKNOWN_OPERATION, 1368724161);
  });

  it.each([
    ['application/json', 'application/json'],
    ['application/x-amz-json-1.0', 'application/x-amz-json-1.0'],
    ['application/json;charset=asfdsaf', 'application/json'],
  ])('answers a JSON body (%s) without a target with UnknownOperationException', async (contentType, answeredIn) => {
    expectError(await send({ body: '{}', headers: { 'Content-Type': contentType } }), UNKNOWN_OPERATION, 1368724161, answeredIn);
  });

  it.each(['whatever', 'DynamoDB_20120810.ListTable', 'DynamoDB_20990101.ListTables', 'DynamoDBStreams_20120810.ListTables'])(
    'answers the target %s with UnknownOperationException before looking at the signature', async (target) => {
      expectError(await send({ headers: { 'X-Amz-Target': target } }), UNKNOWN_OPERATION, 1368724161);
    },
  );

  it('answers a body that is not JSON before looking at the target', async () => {
    expectError(await send({ body: 'hi', headers: { 'Content-Type': 'application/json', 'X-Amz-Target': 'nope' } }), SERIALIZATION, 3948637019);
  });

  it.each([
    ['no Authorization header', '/', {}],
    ['an Authorization header that is not AWS4', '/', { Authorization: 'AWS4' }],
    ['a query without X-Amz-Algorithm', '/?X-Amz-Algorith', { Authorization: 'X' }],
    ['every presigning parameter but X-Amz-Algorithm', '/?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=c&X-Amz-Date=d', {}],
  ])('answers %s with MissingAuthenticationTokenException', async (_case, path, headers) => {
    expectError(await send({ path, headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables', ...headers } }), MISSING_TOKEN, 2088342776);
  });

  it('answers a request signed both ways with InvalidSignatureException', async () => {
    const answer = await send({ path: '/?X-Amz-Algorithm', headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables', Authorization: 'X' } });
    expectError(answer, {
      __type: 'com.amazon.coral.service#InvalidSignatureException',
      message: 'Found both \'X-Amz-Algorithm\' as a query-string param and \'Authorization\' as HTTP header.',
    }, 2139606068);
  });

  it('answers a signed call without a body with SerializationException', async () => {
    expectError(await send({ headers: signedCall('ListTables') }), SERIALIZATION, 3948637019, 'application/x-amz-json-1.0');
  });

  it('serves a presigned call (X-Amz-Algorithm in the query)', async () => {
    const { Authorization: _signature, ...headers } = signedCall('ListTables');
    const query = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=host&X-Amz-Date=20240101T000000Z';
    const answer = await send({ path: `/?${query}`, headers, body: '{}' });
    expect(answer.status).toBe(200);
  });

  const INCOMPLETE = 'com.amazon.coral.service#IncompleteSignatureException';
  it.each([
    ['AWS4-', {}, "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
      + "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-"],
    ['AWS4- Signature=b Credential=a', { Date: 'a' }, "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b Credential=a"],
    ['AWS4- Signature=b, Credential=a', { Date: 'a' }, "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b, Credential=a"],
    ['AWS4-HMAC-SHA256 Credential=a, SignedHeaders=host, Signature=b', {}, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
      + 'Authorization=AWS4-HMAC-SHA256 Credential=a, SignedHeaders=host, Signature=b'],
  ])('answers an Authorization header %j that lacks a part with IncompleteSignatureException', async (authorization, extra, message) => {
    const answer = await send({ headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables', Authorization: authorization, ...extra } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString())).toEqual({ __type: INCOMPLETE, message });
  });

  it.each([
    ['X-Amz-Algorithm', "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. "
      + "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
      + "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."],
    ['X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d', "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."],
  ])('answers a presigned query %j that lacks a parameter with IncompleteSignatureException', async (query, message) => {
    const answer = await send({ path: `/?${query}`, headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables' } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString())).toEqual({ __type: INCOMPLETE, message });
  });
});

describe('CORS', () => {
  const CORS_HEADERS = ['access-control-allow-origin', 'access-control-expose-headers', 'access-control-max-age', 'access-control-allow-methods', 'access-control-allow-headers'];

  it('answers a preflight with an empty 200 that allows what it asks', async () => {
    const plain = await send({ method: 'OPTIONS', headers: { Origin: 'whatever' } });
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBe(0);
    expect(plain.headers['content-length']).toBe('0');
    expect(plain.headers['x-amzn-requestid']).toMatch(REQUEST_ID);
    expect(plain.headers['access-control-allow-origin']).toBe('*');
    expect(plain.headers['access-control-max-age']).toBe('172800');
    expect(plain.headers['access-control-expose-headers']).toBe('x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date');
    expect(plain.headers['access-control-allow-headers']).toBeUndefined();
    expect(plain.headers['access-control-allow-methods']).toBeUndefined();
    const asking = await send({ method: 'OPTIONS', headers: { Origin: 'whatever', 'Access-Control-Request-Headers': 'a, b, c', 'Access-Control-Request-Method': 'd' } });
    expect(asking.status).toBe(200);
    expect(asking.headers['access-control-allow-headers']).toBe('a, b, c');
    expect(asking.headers['access-control-allow-methods']).toBe('d');
  });

  it('marks every answer to a request with an Origin, and only those', async () => {
    const origin = { Origin: 'http://example.com/' };
    const answers = [
      await send({ headers: origin }),
      await send({ method: 'GET', headers: origin }),
      await send({ body: '{}', headers: { ...signedCall('ListTables'), ...origin } }),
    ];
    expectError(answers[0], UNKNOWN_OPERATION, 1368724161);
    expect(answers[2].status).toBe(200);
    for (const answer of answers) {
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(answer.headers['access-control-expose-headers']).toBe('x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date');
      // Only a preflight says how long it holds, and what it allows.
      expect(answer.headers['access-control-max-age']).toBeUndefined();
      expect(answer.headers['access-control-allow-headers']).toBeUndefined();
    }
    for (const answer of [await send({}), await send({ method: 'GET' }), await send({ body: '{}', headers: signedCall('ListTables') })]) {
      for (const header of CORS_HEADERS) expect(answer.headers[header]).toBeUndefined();
    }
  });
});
