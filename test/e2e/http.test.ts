import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion({ name: 'eu-west-1' }); });
afterAll(async () => { await region.stop(); });

async function call(target: string | undefined, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; response: Response; text: string }> {
  const response = await fetch(region.region.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      Authorization: 'AWS4-HMAC-SHA256 Credential=local/20240101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'X-Amz-Date': '20240101T000000Z',
      ...(target ? { 'X-Amz-Target': target } : {}),
      ...headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {}, response, text };
}

describe('HTTP protocol', () => {
  it('answers GET / with the health line', async () => {
    const response = await fetch(region.region.endpoint);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('healthy: dynamodb.eu-west-1.amazonaws.com ');
  });

  it('sends a request id and the CRC32 of the exact body', async () => {
    const { response, text } = await call('DynamoDB_20120810.ListTables', '{}');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/);
    expect(Number(response.headers.get('x-amz-crc32'))).toBe(crc32(Buffer.from(text)));
  });

  it('requires an Authorization header', async () => {
    const { status, json } = await call('DynamoDB_20120810.ListTables', '{}', { Authorization: '' });
    expect(status).toBe(400);
    expect(json).toEqual({ __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' });
  });

  it('rejects an unknown operation', async () => {
    const { status, json } = await call('DynamoDB_20120810.Frobnicate', '{}');
    expect(status).toBe(400);
    expect(json).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });

  it('rejects malformed JSON and wrongly typed members with SerializationException', async () => {
    const bad = await call('DynamoDB_20120810.ListTables', '{not json');
    expect(bad.status).toBe(400);
    expect(bad.json.__type).toBe('com.amazon.coral.service#SerializationException');
    const typed = await call('DynamoDB_20120810.ListTables', '{"Limit":"ten"}');
    // DynamoDB names the field `Message` in this error alone.
    expect(typed.json).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'STRING_VALUE cannot be converted to Integer' });
    const attr = await call('DynamoDB_20120810.GetItem', '{"TableName":"t","Key":{"pk":{"S":5}}}');
    expect(attr.json).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'NUMBER_VALUE cannot be converted to String' });
  });

  it('reports validation failures as com.amazon.coral.validate#ValidationException', async () => {
    const { status, json } = await call('DynamoDB_20120810.DescribeTable', '{}');
    expect(status).toBe(400);
    expect(json).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: "The parameter 'TableName' is required but was not present in the request",
    });
  });
});
