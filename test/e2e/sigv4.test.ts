/**
 * A region started with credentials (`auth: sigv4`) verifies every DynamoDB and Streams request's
 * signature, as DynamoDB does, with DynamoDB's errors: the AWS SDK and the AWS CLI with the right
 * secret get through; a wrong secret, an unknown key, a date outside the window, a tampered
 * presigned URL or body do not. A region without credentials still takes any signature.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/config/credentials.js';
import { startConsole } from '../../src/console/server.js';
import { exchange, type Exchange } from '../helpers/httpExchange.js';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';

const KEY: Credentials = { accessKeyId: 'AKIDSIGV4TEST', secretAccessKey: 'the-right-secret' };
const OTHER_KEY: Credentials = { accessKeyId: 'AKIDSECONDKEY', secretAccessKey: 'another-secret' };
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const MINUTE_MS = 60_000;

let checked: TestRegion;
let open: TestRegion;
let table: string;
const clients: { destroy(): void }[] = [];

function dynamo(endpoint: string, credentials: Credentials, extra: { systemClockOffset?: number } = {}): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  [checked, open] = await Promise.all([
    startTestRegion({ name: 'us-east-1', credentials: [KEY, OTHER_KEY] }),
    startTestRegion({ name: 'eu-west-1' }),
  ]);
  table = uniqueTableName('signed');
  await dynamo(checked.region.endpoint, KEY).send(new CreateTableCommand({
    TableName: table,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await Promise.all([checked?.stop(), open?.stop()]);
});

describe('a region that checks signatures, with the AWS SDK', () => {
  it('serves requests signed with any of its keys: PutItem, GetItem, Streams DescribeStream', async () => {
    const client = dynamo(checked.region.endpoint, KEY);
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'signed' }, n: { N: '1' } } }));
    const got = await dynamo(checked.region.endpoint, OTHER_KEY).send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'signed' } } }));
    expect(got.Item).toEqual({ pk: { S: 'signed' }, n: { N: '1' } });
    const streams = new DynamoDBStreamsClient({ endpoint: checked.region.endpoint, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    clients.push(streams);
    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toContain(table);
    const arn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!;
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(described.StreamDescription?.StreamArn).toBe(arn);
  });

  it('refuses a wrong secret with InvalidSignatureException, and writes nothing', async () => {
    const error = await failure(dynamo(checked.region.endpoint, { ...KEY, secretAccessKey: 'a-wrong-secret' })
      .send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'wrong secret' } } })));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toBe(MISMATCH);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    const got = await dynamo(checked.region.endpoint, KEY).send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'wrong secret' } } }));
    expect(got.Item).toBeUndefined();
  });

  it('refuses a Streams call with a wrong secret', async () => {
    const streams = new DynamoDBStreamsClient({ endpoint: checked.region.endpoint, region: 'us-east-1', credentials: { ...KEY, secretAccessKey: 'nope' }, maxAttempts: 1 });
    clients.push(streams);
    const error = await failure(streams.send(new DescribeStreamCommand({ StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2024-01-01T00:00:00.000' })));
    expect(error.name).toBe('InvalidSignatureException');
  });

  it('refuses an access key it does not know with UnrecognizedClientException', async () => {
    const error = await failure(dynamo(checked.region.endpoint, { accessKeyId: 'AKIDNOBODY', secretAccessKey: KEY.secretAccessKey }).send(new ListTablesCommand({})));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('refuses a date 20 minutes old, and one 20 minutes ahead, with the window in the message', async () => {
    const late = await failure(dynamo(checked.region.endpoint, KEY, { systemClockOffset: -20 * MINUTE_MS }).send(new ListTablesCommand({})));
    expect(late.name).toBe('InvalidSignatureException');
    expect(late.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    const early = await failure(dynamo(checked.region.endpoint, KEY, { systemClockOffset: 20 * MINUTE_MS }).send(new ListTablesCommand({})));
    expect(early.name).toBe('InvalidSignatureException');
    expect(early.message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
  });

  it('judges the date by true time, not the region\'s skewed clock', async () => {
    checked.region.ctx.clock.skewMs = 60 * MINUTE_MS;
    try {
      await dynamo(checked.region.endpoint, KEY).send(new ListTablesCommand({}));
    } finally {
      checked.region.ctx.clock.skewMs = 0;
    }
  });
});

/** A raw call to the checking region, signed by the SDK's signer (presigned when `expiresIn` is given). */
async function signedExchange(body: string | Buffer, options: { extraHeaders?: Record<string, string>; expiresIn?: number; signingDate?: Date; tamper?: (sent: { path: string; body: string | Buffer }) => void } = {}): Promise<Exchange> {
  const { port } = checked.region;
  const headers = { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem', ...options.extraHeaders };
  const signer = new SignatureV4({ credentials: KEY, region: 'us-east-1', service: 'dynamodb', sha256: Sha256 });
  const request = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {}, headers, body };
  const signingDate = options.signingDate ?? new Date();
  const signed = options.expiresIn === undefined
    ? await signer.sign(request, { signingDate })
    // The target stays a header: the region reads it there.
    : await signer.presign(request, { signingDate, expiresIn: options.expiresIn, unhoistableHeaders: new Set(['x-amz-target', 'content-type']) });
  const query = new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, '%20');
  const sent = { path: query ? `/?${query}` : '/', body };
  options.tamper?.(sent);
  const { host: _host, ...sentHeaders } = signed.headers;
  return exchange(port, { path: sent.path, headers: sentHeaders, body: sent.body });
}

const put = (pk: string): string => JSON.stringify({ TableName: table, Item: { pk: { S: pk } } });
const errorOf = (answer: Exchange): { __type: string; message: string } => JSON.parse(answer.body.toString());

describe('a region that checks signatures, raw requests', () => {
  it('takes a presigned URL that is right', async () => {
    const answer = await signedExchange(put('presigned'), { expiresIn: 300 });
    expect(answer.body.toString()).toBe('{}');
    expect(answer.status).toBe(200);
  });

  it('refuses a presigned URL whose body or query was changed', async () => {
    const body = await signedExchange(put('presigned'), { expiresIn: 300, tamper: (sent) => { sent.body = put('tampered'); } });
    expect(body.status).toBe(400);
    expect(errorOf(body)).toEqual({ __type: 'com.amazon.coral.service#InvalidSignatureException', message: MISMATCH });
    const query = await signedExchange(put('presigned'), { expiresIn: 300, tamper: (sent) => { sent.path = sent.path.replace('X-Amz-Expires=300', 'X-Amz-Expires=600'); } });
    expect(errorOf(query).message).toBe(MISMATCH);
  });

  it('refuses a presigned URL past its X-Amz-Expires', async () => {
    const answer = await signedExchange(put('expired url'), { expiresIn: 60, signingDate: new Date(Date.now() - 2 * MINUTE_MS) });
    expect(errorOf(answer).__type).toBe('com.amazon.coral.service#InvalidSignatureException');
    expect(errorOf(answer).message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 1 min\.\)$/);
  });

  it('checks a compressed body\'s signature over the bytes sent', async () => {
    const gzipped = gzipSync(put('compressed'));
    const right = await signedExchange(gzipped, { extraHeaders: { 'content-encoding': 'gzip' } });
    expect(right.status).toBe(200);
    const recompressed = await signedExchange(gzipped, { extraHeaders: { 'content-encoding': 'gzip' }, tamper: (sent) => { sent.body = gzipSync(put('compressed'), { level: 1 }); } });
    expect(errorOf(recompressed).message).toBe(MISMATCH);
  });

  it('refuses a credential scoped to another service', async () => {
    const signer = new SignatureV4({ credentials: KEY, region: 'us-east-1', service: 'dynamodbstreams', sha256: Sha256 });
    const { port } = checked.region;
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {}, headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
    const { host: _host, ...headers } = signed.headers;
    const answer = await exchange(port, { headers, body: '{}' });
    expect(errorOf(answer)).toEqual({ __type: 'com.amazon.coral.service#InvalidSignatureException', message: "Credential should be scoped to correct service: 'dynamodb'. " });
  });
});

describe('the console', () => {
  it('signs the page\'s DynamoDB calls with the cluster\'s key, and is refused without it', async () => {
    const regions = [{ name: 'us-east-1', endpoint: checked.region.endpoint }];
    const [signing, plain] = await Promise.all([startConsole({ regions, credentials: OTHER_KEY, port: 0 }), startConsole({ regions, port: 0 })]);
    try {
      const call = (url: string) => fetch(`${url}/api/regions/us-east-1/dynamodb`, { method: 'POST', body: JSON.stringify({ operation: 'ListTables', input: {} }) }).then((r) => r.json());
      expect(await call(signing.url)).toMatchObject({ status: 200, body: { TableNames: expect.arrayContaining([table]) } });
      expect(await call(plain.url)).toMatchObject({ status: 400, body: { __type: 'com.amazon.coral.service#InvalidSignatureException' } });
    } finally {
      await Promise.all([signing.close(), plain.close()]);
    }
  });
});

describe('a region without credentials', () => {
  it('takes any signature, as DynamoDB Local does', async () => {
    await dynamo(open.region.endpoint, { accessKeyId: 'anyone', secretAccessKey: 'anything' }).send(new ListTablesCommand({}));
    await dynamo(open.region.endpoint, KEY, { systemClockOffset: -60 * MINUTE_MS }).send(new ListTablesCommand({}));
  });
});

const run = promisify(execFile);
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

describe('the AWS CLI', () => {
  // CI need not have it: the test says so rather than fail.
  if (!hasAwsCli) {
    it.skip('is not installed here: aws dynamodb list-tables is not tried', () => undefined);
    return;
  }
  /** `aws dynamodb list-tables` with a key from the environment alone (no profile of the user's). */
  const listTables = (credentials: Credentials) => run('aws', ['dynamodb', 'list-tables', '--endpoint-url', checked.region.endpoint, '--output', 'json'], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_MAX_ATTEMPTS: '1',
      AWS_PAGER: '',
    },
  });

  it('lists tables with the right secret', async () => {
    const { stdout } = await listTables(KEY);
    expect(JSON.parse(stdout).TableNames).toContain(table);
  }, 30_000);

  it('is refused with a wrong secret', async () => {
    const error = await listTables({ ...KEY, secretAccessKey: 'wrong' }).then(() => undefined, (e: { stderr: string }) => e);
    expect(error?.stderr).toContain('InvalidSignatureException');
    expect(error?.stderr).toContain('The request signature we calculated does not match the signature you provided.');
  }, 30_000);
});
