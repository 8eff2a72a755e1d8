import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchExecuteStatementCommand, GetItemCommand, type BatchStatementRequest } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client, 'S');
});
afterAll(async () => { await region.stop(); });

const batch = (Statements: BatchStatementRequest[], ReturnConsumedCapacity?: 'TOTAL') =>
  region.client.send(new BatchExecuteStatementCommand({ Statements, ...(ReturnConsumedCapacity ? { ReturnConsumedCapacity } : {}) }));

const getRaw = async (pk: string) => (await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }))).Item;

describe('BatchExecuteStatement', () => {
  it('runs writes in order, each answered with its own result or Error', async () => {
    const got = await batch([
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'a', 'v': 1}` },
      { Statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'v': 2}`, Parameters: [{ S: 'b' }] },
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'a', 'v': 3}` },
      { Statement: `UPDATE "${table}" SET v = 9 WHERE pk = 'b' AND v = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      { Statement: `UPDATE "${table}" SET v = 7 WHERE pk = 'b'` },
      { Statement: `DELETE FROM "${table}" WHERE pk = 'nobody'` },
      { Statement: `SLECT nonsense` },
    ], 'TOTAL');
    expect(got.Responses).toEqual([
      { TableName: table },
      { TableName: table },
      { Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
      { Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'b' }, v: { N: '2' } } } },
      { TableName: table },
      { TableName: table },
      { Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Expected data manipulation" } },
    ]);
    expect(got.ConsumedCapacity).toEqual([{ TableName: table, CapacityUnits: 4 }]);
    expect(await getRaw('a')).toEqual({ pk: { S: 'a' }, v: { N: '1' } });
    expect(await getRaw('b')).toEqual({ pk: { S: 'b' }, v: { N: '7' } });
  });

  it('reads items by their whole key; other reads are an Error of their own', async () => {
    const got = await batch([
      { Statement: `SELECT v FROM "${table}" WHERE pk = 'a'` },
      { Statement: `SELECT * FROM "${table}" WHERE pk = ?`, Parameters: [{ S: 'nobody' }], ConsistentRead: true },
      { Statement: `SELECT * FROM "${table}" WHERE pk = 'a' AND attribute_exists(v)` },
      { Statement: `SELECT * FROM "no-such-table" WHERE pk = 'a'` },
      { Statement: `SELECT * FROM "${table}" WHERE pk = ?` },
    ]);
    expect(got.Responses).toEqual([
      { TableName: table, Item: { v: { N: '1' } } },
      { TableName: table },
      { Error: { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' } },
      { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
      { Error: { Code: 'ValidationError', Message: "Number of parameters in request and statement don't match." } },
    ]);
  });

  it('refuses reads and writes together, and EXISTS, changing nothing', async () => {
    const mixed = await failure(batch([
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'mixed'}` },
      { Statement: `SELECT * FROM "${table}" WHERE pk = 'a'` },
    ]));
    expect(mixed.name).toBe('ValidationException');
    expect(mixed.message).toBe('Read and write requests together in the same batch is not supported.');
    expect(await getRaw('mixed')).toBeUndefined();
    const exists = await batch([{ Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = 'a' AND v = 1)` }]);
    expect(exists.Responses).toEqual([{ Error: { Code: 'ValidationError', Message: 'EXISTS can only be used in ExecuteTransaction write requests.' } }]);
  });

  it('takes 1 to 25 statements', async () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ Statement: `DELETE FROM "${table}" WHERE pk = 'x${i}'` }));
    const error = await failure(batch(many));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/Member must have length less than or equal to 25/);
    expect((await failure(batch([]))).message).toMatch(/Member must have length greater than or equal to 1/);
  });
});
