import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const create = (client: TestRegion['client'], TableName: string) => client.send(new CreateTableCommand({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
}));

describe('DeleteTable', () => {
  it('deletes the table and its items; a new table of the same name starts empty', async () => {
    const name = uniqueTableName();
    await create(region.client, name);
    await region.doc.send(new PutCommand({ TableName: name, Item: { pk: 'a' } }));
    const deleted = await region.client.send(new DeleteTableCommand({ TableName: name }));
    expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
    expect(deleted.TableDescription?.ItemCount).toBe(1);
    expect((await region.client.send(new ListTablesCommand({}))).TableNames).not.toContain(name);
    await create(region.client, name);
    expect((await region.doc.send(new GetCommand({ TableName: name, Key: { pk: 'a' } }))).Item).toBeUndefined();
  });

  it('keeps a deleting table visible as DELETING for the configured delay', async () => {
    const slow = await startTestRegion({ settings: { deleteTableMs: 1000 } });
    try {
      const name = uniqueTableName();
      await create(slow.client, name);
      await slow.client.send(new DeleteTableCommand({ TableName: name }));
      expect((await slow.client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus).toBe('DELETING');
      const busy = await failure(slow.client.send(new DeleteTableCommand({ TableName: name })));
      expect(busy.name).toBe('ResourceInUseException');
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const gone = await failure(slow.client.send(new DescribeTableCommand({ TableName: name })));
      expect(gone.name).toBe('ResourceNotFoundException');
    } finally {
      await slow.stop();
    }
  });

  it('answers without the global indexes of the table it deletes, keeping its local ones', async () => {
    const name = uniqueTableName();
    await region.client.send(new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      LocalSecondaryIndexes: [{ IndexName: 'byPkG', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }));
    const deleted = (await region.client.send(new DeleteTableCommand({ TableName: name }))).TableDescription!;
    expect(deleted.TableStatus).toBe('DELETING');
    expect(deleted.GlobalSecondaryIndexes).toBeUndefined();
    expect(deleted.LocalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byPkG']);
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const error = await failure(region.client.send(new DeleteTableCommand({ TableName: 'no-such-table' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Requested resource not found: Table: no-such-table not found');
  });
});
