import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

async function provisionedTable(): Promise<string> {
  const name = uniqueTableName();
  await region.client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  }));
  return name;
}

describe('UpdateTable', () => {
  it('changes provisioned throughput and counts a decrease', async () => {
    const name = await provisionedTable();
    const updated = await region.client.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 10 } }));
    expect(updated.TableDescription?.TableStatus).toBe('UPDATING');
    const table = (await region.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 10, NumberOfDecreasesToday: 1 });
    expect(table.ProvisionedThroughput?.LastIncreaseDateTime).toBeInstanceOf(Date);
    expect(table.TableStatus).toBe('ACTIVE');
  });

  it('switches billing mode to PAY_PER_REQUEST and back', async () => {
    const name = await provisionedTable();
    await region.client.send(new UpdateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST' }));
    let table = (await region.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    await region.client.send(new UpdateTableCommand({ TableName: name, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }));
    table = (await region.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
    expect(table.BillingModeSummary).toBeUndefined();
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 2, WriteCapacityUnits: 2 });
  });

  it('enables and disables a stream, rejecting a second enable and a disable of none', async () => {
    const name = await provisionedTable();
    await region.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    expect((await region.client.send(new DescribeTableCommand({ TableName: name }))).Table?.StreamSpecification)
      .toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    const twice = await failure(region.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })));
    expect(twice.message).toBe(`Table already has an enabled stream: TableName: ${name}`);
    await region.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
    const none = await failure(region.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } })));
    expect(none.name).toBe('ValidationException');
    expect(none.message).toBe(`Table already has no stream: TableName: ${name}`);
  });

  it.each([
    [{}, 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required'],
    [{ BillingMode: 'PROVISIONED' }, 'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED'],
    [{ ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }, 'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.'],
  ])('rejects %j', async (override, message) => {
    const name = await provisionedTable();
    const error = await failure(region.client.send(new UpdateTableCommand({ TableName: name, ...override } as never)));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });
});
