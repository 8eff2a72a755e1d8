import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, ListTagsOfResourceCommand, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import { startRegion, type RunningRegion } from '../../src/region/region.js';
import { rawCall } from '../helpers/rawApi.js';
import { clientFor, failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const arnOf = (name: string, where = 'us-east-1', account = '000000000000'): string => `arn:aws:dynamodb:${where}:${account}:table/${name}`;
const tagsOf = async (name: string) => (await region.client.send(new ListTagsOfResourceCommand({ ResourceArn: arnOf(name) }))).Tags;
const raw = (body: object) => rawCall(region.region.endpoint, 'TagResource', body);

const activeTable = (): Promise<string> => createTable(region.client);

describe('TagResource', () => {
  it('adds tags, and a key set again takes the new value in its place', async () => {
    const name = await activeTable();
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'a' }] }));
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'cost center', Value: '' }] }));
    expect(await tagsOf(name)).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }, { Key: 'cost center', Value: '' }]);
  });

  it('refuses more than 50 tags on a table and keeps the ones it had', async () => {
    const name = await activeTable();
    const tags = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: tags(0, 40) }));
    const error = await failure(region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: tags(35, 16) })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('One or more parameter values were invalid: The number of tags on a resource cannot exceed 50; it would have 51');
    expect(await tagsOf(name)).toHaveLength(40);
    // Setting keys it has does not count twice: 40 + 10 new is exactly 50.
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: tags(30, 20) }));
    expect(await tagsOf(name)).toHaveLength(50);
  });

  it("checks keys and values: lengths, the character set, the reserved 'aws:' prefix", async () => {
    const name = await activeTable();
    const send = (Key: string, Value: string) => failure(region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key, Value }] })));
    expect((await send('k'.repeat(129), 'v')).message).toBe(
      `1 validation error detected: Value '${'k'.repeat(129)}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`);
    expect((await send('', 'v')).message).toBe(
      "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect((await send('k', 'v'.repeat(257))).message).toBe(
      `1 validation error detected: Value '${'v'.repeat(257)}' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
    expect((await send('a*b', 'v')).message).toMatch(/^One or more parameter values were invalid: Invalid tag key: a\*b/);
    expect((await send('k', 'semi;colon')).message).toMatch(/^One or more parameter values were invalid: Invalid tag value: semi;colon/);
    expect((await send('AWS:owner', 'v')).message).toBe("One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use: AWS:owner");
    // Letters of any script, digits, white space and + - = . _ : / are fine.
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key: 'Größe 1+1=2 a_b.c:d/e-f', Value: 'ünïcödé' }] }));
    expect(await tagsOf(name)).toEqual([{ Key: 'Größe 1+1=2 a_b.c:d/e-f', Value: 'ünïcödé' }]);
  });

  it('answers the ResourceArn checks DynamoDB makes, in its order', async () => {
    expect(await raw({})).toMatchObject({ error: 'ValidationException', json: { message: 'Invalid TableArn' } });
    for (const [arn, shown] of [['', '*'], ['abcd', 'abcd'], ['a:b:c:d:e:f', 'a:b:c:d:e:f'], ['a:b:c:d:e/f', 'a:b:c:d:e/f']]) {
      const answer = await raw({ ResourceArn: arn });
      expect(answer.error).toBe('AccessDeniedException');
      expect(answer.json.Message).toBe(`User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:TagResource on resource: ${shown}`);
    }
    expect((await raw({ ResourceArn: 'a:b:c:d:e:f/g' })).json.message)
      .toBe("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
    expect((await raw({ ResourceArn: 'a:b:c:d:e:f/g', Tags: [] })).json.message).toBe('Invalid TableArn: Invalid ResourceArn provided as input a:b:c:d:e:f/g');
    expect((await raw({ ResourceArn: arnOf('ab'), Tags: [] })).json.message).toBe(`Invalid TableArn: Invalid ResourceArn provided as input ${arnOf('ab')}`);
    expect((await raw({ ResourceArn: arnOf('no-such-table'), Tags: [] })).json.message).toBe('Atleast one Tag needs to be provided as Input.');
  });

  it('answers ResourceNotFoundException for a missing table, and for a table of another region or account', async () => {
    const name = await activeTable();
    for (const arn of [arnOf('no-such-table'), arnOf(name, 'eu-west-1'), arnOf(name, 'us-east-1', '123456789012')]) {
      const error = await failure(region.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: 'b' }] })));
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.message).toBe(`Requested resource not found: ResourcArn: ${arn} not found`);
    }
    expect(await failure(region.client.send(new ListTagsOfResourceCommand({ ResourceArn: arnOf(name, 'eu-west-1') })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('TagResource on a table still CREATING', () => {
  let slow: TestRegion;
  beforeAll(async () => { slow = await startTestRegion({ settings: { createTableMs: 60_000 } }); });
  afterAll(async () => { await slow.stop(); });

  it('answers ResourceNotFoundException and tags nothing, as DynamoDB does', async () => {
    const name = await createTable(slow.client);
    const error = await failure(slow.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key: 'a', Value: 'b' }] })));
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: `Requested resource not found: ResourcArn: ${arnOf(name)} not found` });
    expect(slow.region.ctx.store.read((txn) => txn.getTable<{ tags?: unknown }>(name))?.tags).toBeUndefined();
  });
});

describe('CreateTable Tags', () => {
  it('stores the tags of a new table', async () => {
    const name = uniqueTableName();
    await region.client.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      Tags: [{ Key: 'env', Value: 'test' }, { Key: 'owner', Value: 'me' }],
    }));
    expect(await tagsOf(name)).toEqual([{ Key: 'env', Value: 'test' }, { Key: 'owner', Value: 'me' }]);
  });

  it('refuses a table with invalid tags and creates nothing', async () => {
    const name = uniqueTableName();
    const error = await failure(region.client.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
    })));
    expect(error.name).toBe('ValidationException');
    expect(region.region.ctx.store.read((txn) => txn.getTable(name))).toBeUndefined();
  });
});

describe('tags across a restart', () => {
  let restarted: RunningRegion | undefined;
  afterAll(async () => { await restarted?.close(); });

  it('are kept in the table metadata', async () => {
    const name = await activeTable();
    await region.client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key: 'kept', Value: 'yes' }] }));
    await region.region.close();
    restarted = await startRegion({ name: 'us-east-1', port: 0, dataDir: region.dataDir });
    const client = clientFor(restarted.endpoint);
    expect((await client.send(new ListTagsOfResourceCommand({ ResourceArn: arnOf(name) }))).Tags).toEqual([{ Key: 'kept', Value: 'yes' }]);
    client.destroy();
    // region.stop() closes the first region again; it is closed already.
    region.region.close = async () => undefined;
  });
});
