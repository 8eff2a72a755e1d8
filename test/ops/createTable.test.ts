import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const hashTable = (TableName: string) => new CreateTableCommand({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
});

describe('CreateTable', () => {
  it('creates a table that reports CREATING, then ACTIVE', async () => {
    const name = uniqueTableName();
    const created = await region.client.send(hashTable(name));
    expect(created.TableDescription?.TableStatus).toBe('CREATING');
    expect(created.TableDescription?.TableArn).toBe(`arn:aws:dynamodb:us-east-1:000000000000:table/${name}`);
    expect(created.TableDescription?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(created.TableDescription?.ItemCount).toBe(0);
    const described = await region.client.send(new DescribeTableCommand({ TableName: name }));
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    expect(described.Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
  });

  it('stays CREATING for the configured delay', async () => {
    const slow = await startTestRegion({ settings: { createTableMs: 1000 } });
    try {
      const name = uniqueTableName();
      await slow.client.send(hashTable(name));
      expect((await slow.client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus).toBe('CREATING');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await slow.client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus).toBe('ACTIVE');
    } finally {
      await slow.stop();
    }
  });

  it('stores provisioned throughput and a composite key', async () => {
    const name = uniqueTableName();
    const created = await region.client.send(new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
    }));
    expect(created.TableDescription?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 7, NumberOfDecreasesToday: 0 });
    expect(created.TableDescription?.BillingModeSummary).toBeUndefined();
  });

  it('rejects a table that already exists', async () => {
    const name = uniqueTableName();
    await region.client.send(hashTable(name));
    const error = await failure(region.client.send(hashTable(name)));
    expect(error.name).toBe('ResourceInUseException');
    expect(error.message).toBe(`Table already exists: ${name}`);
  });

  it.each([
    [{ TableName: undefined }, "The parameter 'TableName' is required but was not present in the request"],
    [{ TableName: 'ab' }, 'TableName must be at least 3 characters long and at most 255 characters long'],
    [{ TableName: 'a'.repeat(256) }, 'TableName must be at least 3 characters long and at most 255 characters long'],
    [{ TableName: 'bad name!' }, "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"],
    [{ KeySchema: [{ AttributeName: 'pk', KeyType: 'INVALID' }] }, "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]"],
    [{ AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'INVALID' }] }, "1 validation error detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"],
    [{ KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }, 'Invalid KeySchema: Some index key attribute have no definition'],
    [{ KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }] }, 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [pk]'],
    [{ BillingMode: 'PROVISIONED' }, 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED'],
    [{ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'],
    [{ StreamSpecification: { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' } }, 'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified'],
  ])('rejects %j with DynamoDB\'s message', async (override, message) => {
    const input = { ...hashTable(uniqueTableName()).input, ...override } as never;
    const error = await failure(region.client.send(new CreateTableCommand(input)));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('stores a stream specification', async () => {
    const name = uniqueTableName();
    const created = await region.client.send(new CreateTableCommand({
      ...hashTable(name).input,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    expect(created.TableDescription?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });
});
