import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];

beforeAll(async () => {
  region = await startTestRegion();
  for (const TableName of [...names].reverse()) {
    await region.client.send(new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
  }
});
afterAll(async () => { await region.stop(); });

describe('ListTables', () => {
  it('lists every table in name order', async () => {
    const listed = await region.client.send(new ListTablesCommand({}));
    expect(listed.TableNames).toEqual(names);
    expect(listed.LastEvaluatedTableName).toBeUndefined();
  });

  it('pages with Limit and ExclusiveStartTableName', async () => {
    const first = await region.client.send(new ListTablesCommand({ Limit: 2 }));
    expect(first.TableNames).toEqual(['alpha', 'bravo']);
    expect(first.LastEvaluatedTableName).toBe('bravo');
    const second = await region.client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: first.LastEvaluatedTableName }));
    expect(second.TableNames).toEqual(['charlie', 'delta']);
    const last = await region.client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'delta' }));
    expect(last.TableNames).toEqual(['echo']);
    expect(last.LastEvaluatedTableName).toBeUndefined();
  });

  it('rejects a Limit out of range', async () => {
    const error = await failure(region.client.send(new ListTablesCommand({ Limit: 101 })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe("1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
  });
});
