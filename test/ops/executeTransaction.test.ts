import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecuteTransactionCommand, GetItemCommand, PutItemCommand, type ParameterizedStatement } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client, 'S');
  for (const pk of ['a', 'b']) await region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { N: '1' } } }));
});
afterAll(async () => { await region.stop(); });

const transact = (TransactStatements: ParameterizedStatement[], extra: { ClientRequestToken?: string; ReturnConsumedCapacity?: 'TOTAL' } = {}) =>
  region.client.send(new ExecuteTransactionCommand({ TransactStatements, ...extra }));

const getRaw = async (pk: string) => (await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }))).Item;

interface Canceled { name: string; message: string; CancellationReasons?: { Code?: string; Message?: string; Item?: unknown }[] }

describe('ExecuteTransaction', () => {
  it('runs writes all together, answering an empty Responses list', async () => {
    const got = await transact([
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'new', 'v': 1}` },
      { Statement: `UPDATE "${table}" SET v = v + 1 WHERE pk = ?`, Parameters: [{ S: 'a' }] },
      { Statement: `DELETE FROM "${table}" WHERE pk = 'b'` },
      { Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = 'gone' AND v IS MISSING)` },
    ], { ReturnConsumedCapacity: 'TOTAL' });
    expect(got.Responses).toEqual([]);
    expect(got.ConsumedCapacity?.[0]?.TableName).toBe(table);
    expect(await getRaw('new')).toEqual({ pk: { S: 'new' }, v: { N: '1' } });
    expect((await getRaw('a'))?.v).toEqual({ N: '2' });
    expect(await getRaw('b')).toBeUndefined();
  });

  it('cancels every write when one fails, with a reason per statement', async () => {
    const error = await failure(transact([
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'never', 'v': 1}` },
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'a'}` },
      { Statement: `UPDATE "${table}" SET v = 5 WHERE pk = 'missing'` },
      { Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = 'new' AND v = 100)`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
    ])) as Canceled;
    expect(error.name).toBe('TransactionCanceledException');
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'new' }, v: { N: '1' } } },
    ]);
    expect(await getRaw('never')).toBeUndefined();
  });

  it('reads items by whole key from one snapshot, {} for an absent one', async () => {
    const got = await transact([
      { Statement: `SELECT v FROM "${table}" WHERE pk = 'a'` },
      { Statement: `SELECT * FROM "${table}" WHERE pk = ?`, Parameters: [{ S: 'nobody' }] },
    ]);
    expect(got.Responses).toEqual([{ Item: { v: { N: '2' } } }, {}]);
  });

  it('runs a ClientRequestToken once and refuses it for other statements', async () => {
    const statements = [{ Statement: `UPDATE "${table}" SET v = v + 10 WHERE pk = 'a'` }];
    await transact(statements, { ClientRequestToken: 'token-1' });
    await transact(statements, { ClientRequestToken: 'token-1' });
    expect((await getRaw('a'))?.v).toEqual({ N: '12' });
    const error = await failure(transact([{ Statement: `UPDATE "${table}" SET v = 0 WHERE pk = 'a'` }], { ClientRequestToken: 'token-1' }));
    expect(error.name).toBe('IdempotentParameterMismatchException');
  });

  it.each([
    [[`SELECT * FROM "TABLE" WHERE pk = 'a'`, `UPDATE "TABLE" SET v = 1 WHERE pk = 'a'`], 'ExecuteTransaction API does not support both read and write operations in the same request.'],
    [[`SELECT * FROM "TABLE" WHERE`], "Validation failed in TransactStatements[0]: Statement wasn't well formed, can't be processed: Unexpected term"],
    [[`SELECT * FROM "TABLE" WHERE pk = 'a' AND attribute_exists(v)`], 'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.'],
    [[`EXISTS(SELECT * FROM "TABLE" WHERE pk = 'a')`, `UPDATE "TABLE" SET z = 1 WHERE pk = 'b'`], 'Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition'],
    [[`UPDATE "TABLE" SET v = 1 WHERE pk = 'a'`, `DELETE FROM "TABLE" WHERE pk = 'a'`], 'Transaction request cannot include multiple operations on one item'],
  ])('refuses %j, changing nothing', async (statements, message) => {
    const before = await getRaw('a');
    const error = await failure(transact(statements.map((Statement) => ({ Statement: Statement.replace('TABLE', table) }))));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
    expect(await getRaw('a')).toEqual(before);
  });
});
