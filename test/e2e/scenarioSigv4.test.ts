/**
 * A scenario with `auth: sigv4`: its regions check signatures with a key made for the run, kept in
 * a file only this user reads (never on a command line); the runner's calls are signed with it, a
 * forced timestamp still passes through the admin guard, and a call signed otherwise is refused.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callDynamo, DynamoCallError } from '../../src/scenario/client.js';
import { ScenarioCluster } from '../../src/scenario/cluster.js';
import { RealTargets } from '../../src/scenario/realTargets.js';

describe('a scenario cluster with auth: sigv4', () => {
  let cluster: ScenarioCluster;
  beforeAll(async () => {
    cluster = await ScenarioCluster.start({ regions: [{ name: 'us-east-1', clock: { mode: 'hlc', skewMs: 0 } }], granularity: 'item', auth: 'sigv4' });
  }, 40_000);
  afterAll(async () => { await cluster?.stop(); });

  it('signs the runner\'s calls with the run\'s key, forced timestamps included', async () => {
    const region = new RealTargets(cluster).region('us-east-1');
    await region.call('CreateTable', {
      TableName: 'signed', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    await region.call('PutItem', { TableName: 'signed', Item: { pk: { S: 'a' } } });
    const stampedMs = Date.now() - 1000;
    await region.call('PutItem', { TableName: 'signed', Item: { pk: { S: 'b' } } }, { timestampMs: stampedMs });
    const got = await region.call<{ Item?: unknown }>('GetItem', { TableName: 'signed', Key: { pk: { S: 'b' } } });
    expect(got.Item).toEqual({ pk: { S: 'b' } });
  });

  it('refuses a call that is not signed with the run\'s key', async () => {
    const { endpoint } = cluster.region('us-east-1');
    const unsigned = await callDynamo(endpoint, 'ListTables', {}).then(() => undefined, (error: unknown) => error);
    expect(unsigned).toBeInstanceOf(DynamoCallError);
    // The form-only signature is dated 2024-01-01: its date is refused before its key.
    expect((unsigned as DynamoCallError).message).toMatch(/^InvalidSignatureException: Signature expired: 20240101T000000Z is now earlier than/);
    const signing = cluster.region('us-east-1').signing!;
    const wrong = await callDynamo(endpoint, 'ListTables', {}, 10_000, { signing: { ...signing, credentials: { ...signing.credentials, secretAccessKey: 'wrong' } } })
      .then(() => undefined, (error: unknown) => error);
    expect((wrong as DynamoCallError).message).toMatch(/^InvalidSignatureException: The request signature we calculated does not match/);
  });

  it('keeps the key in a file only this user reads, not on the command line', () => {
    const region = cluster.region('us-east-1');
    const file = join(region.dataDir, '..', 'credentials');
    expect(statSync(file).mode & 0o077).toBe(0);
    const { accessKeyId, secretAccessKey } = region.signing!.credentials;
    expect(readFileSync(file, 'utf8')).toContain(secretAccessKey);
    const cmdline = readFileSync(`/proc/${region.child!.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain(file);
    expect(cmdline).not.toContain(secretAccessKey);
    expect(cmdline).not.toContain(accessKeyId);
  });
});
