import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

describe('DescribeTable', () => {
  it('reports live ItemCount and TableSizeBytes', async () => {
    const name = await createTable(region.client);
    await region.doc.send(new PutCommand({ TableName: name, Item: { pk: 'a', v: 'xyz' } }));
    await region.doc.send(new PutCommand({ TableName: name, Item: { pk: 'b', v: 'xyz' } }));
    const table = (await region.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
    expect(table.ItemCount).toBe(2);
    // name bytes + value bytes: pk(2)+a(1) + v(1)+xyz(3) = 7 per item
    expect(table.TableSizeBytes).toBe(14);
    expect(table.TableName).toBe(name);
    expect(table.TableId).toMatch(/^[0-9a-f-]{36}$/);
    expect(table.CreationDateTime).toBeInstanceOf(Date);
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const error = await failure(region.client.send(new DescribeTableCommand({ TableName: 'missing-table' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Requested resource not found: Table: missing-table not found');
  });
});
