import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecuteStatementCommand, GetItemCommand, type AttributeValue, type ExecuteStatementCommandInput } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client, 'S', 'N');
  for (let sk = 1; sk <= 5; sk += 1) {
    await run(`INSERT INTO "${table}" VALUE {'pk': 'p', 'sk': ?, 'n': ?, 'tag': ?}`, [{ N: String(sk) }, { N: String(sk * 10) }, { S: sk % 2 ? 'odd' : 'even' }]);
  }
});
afterAll(async () => { await region.stop(); });

function run(Statement: string, Parameters?: AttributeValue[], extra: Partial<ExecuteStatementCommandInput> = {}) {
  return region.client.send(new ExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters } : {}), ...extra }));
}

const getRaw = async (pk: string, sk: number) =>
  (await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { N: String(sk) } } }))).Item;

describe('ExecuteStatement SELECT', () => {
  it('reads one item by its whole key, projected, or nothing', async () => {
    const got = await run(`SELECT n, tag FROM "${table}" WHERE pk = ? AND sk = 2`, [{ S: 'p' }]);
    expect(got.Items).toEqual([{ n: { N: '20' }, tag: { S: 'even' } }]);
    expect((await run(`SELECT * FROM "${table}" WHERE pk = 'p' AND sk = 99`)).Items).toEqual([]);
  });

  it('queries a partition with a sort-key condition, a filter and ORDER BY … DESC', async () => {
    const got = await run(`SELECT sk FROM "${table}" WHERE pk = 'p' AND sk BETWEEN 2 AND 5 AND tag = 'odd' ORDER BY sk DESC`);
    expect(got.Items).toEqual([{ sk: { N: '5' } }, { sk: { N: '3' } }]);
    const prefix = await run(`SELECT sk FROM "${table}" WHERE "pk" = 'p' AND sk >= 4`);
    expect(prefix.Items).toEqual([{ sk: { N: '4' } }, { sk: { N: '5' } }]);
  });

  it('scans with functions and operators, paging with Limit and NextToken', async () => {
    const statement = `SELECT sk FROM "${table}" WHERE n IN [10, 30, 50] OR (size(tag) = 4 AND NOT begins_with(tag, 'x') AND n <> 40)`;
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await run(statement, undefined, { Limit: 2, ...(NextToken ? { NextToken } : {}) });
      seen.push(...page.Items!.map((item) => item.sk.N!));
      NextToken = page.NextToken;
      if (NextToken) expect(page.LastEvaluatedKey).toBeDefined();
      pages += 1;
    } while (NextToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.sort()).toEqual(['1', '2', '3', '5']);
  });

  it('refuses a NextToken of another statement, or one it never handed out', async () => {
    const page = await run(`SELECT * FROM "${table}"`, undefined, { Limit: 1 });
    expect((await failure(run(`SELECT sk FROM "${table}"`, undefined, { NextToken: page.NextToken }))).message).toBe('NextToken does not match request');
    expect((await failure(run(`SELECT * FROM "${table}"`, undefined, { NextToken: 'garbage!' }))).message).toBe('Invalid NextToken');
  });

  it('answers IS MISSING and IS NOT MISSING, and ConsumedCapacity when asked', async () => {
    const got = await run(`SELECT sk FROM "${table}" WHERE pk = 'p' AND gone IS MISSING AND n IS NOT MISSING AND sk < 2`, undefined, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
    expect(got.Items).toEqual([{ sk: { N: '1' } }]);
    expect(got.ConsumedCapacity).toMatchObject({ TableName: table });
  });
});

describe('ExecuteStatement writes', () => {
  it('INSERT writes an item only where none is', async () => {
    expect((await run(`INSERT INTO "${table}" VALUE {'pk': 'i', 'sk': 1, 'm': {'a': [1, 'x', true, null]}, 's': <<'b', 'a'>>}`)).Items).toEqual([]);
    expect(await getRaw('i', 1)).toEqual({
      pk: { S: 'i' }, sk: { N: '1' }, m: { M: { a: { L: [{ N: '1' }, { S: 'x' }, { BOOL: true }, { NULL: true }] } } }, s: { SS: ['b', 'a'] },
    });
    const error = await failure(run(`INSERT INTO "${table}" VALUE {'pk': 'i', 'sk': 1, 'other': 2}`));
    expect(error.name).toBe('DuplicateItemException');
    expect(error.message).toBe('Duplicate primary key exists in table');
    expect((await getRaw('i', 1))?.other).toBeUndefined();
  });

  it('UPDATE sets, removes, adds to sets and appends, answering RETURNING', async () => {
    await run(`INSERT INTO "${table}" VALUE {'pk': 'u', 'sk': 1, 'count': 1, 'gone': 'x', 'tags': <<'a'>>, 'l': [1]}`);
    const got = await run(`UPDATE "${table}" SET count = count + 2, l = list_append(l, [2]) SET tags = set_add(tags, <<'b'>>) REMOVE gone WHERE pk = 'u' AND sk = 1 RETURNING ALL NEW *`);
    expect(got.Items).toEqual([{ pk: { S: 'u' }, sk: { N: '1' }, count: { N: '3' }, tags: { SS: ['a', 'b'] }, l: { L: [{ N: '1' }, { N: '2' }] } }]);
    const modified = await run(`UPDATE "${table}" SET tags = set_delete(tags, <<'a'>>) WHERE pk = 'u' AND sk = 1 RETURNING MODIFIED OLD *`);
    expect(modified.Items).toEqual([{ tags: { SS: ['a', 'b'] } }]);
    expect((await run(`UPDATE "${table}" SET count = 9 WHERE pk = 'u' AND sk = 1`)).Items).toEqual([]);
  });

  it('UPDATE acts only on an existing item that meets the other terms', async () => {
    const missing = await failure(run(`UPDATE "${table}" SET a = 1 WHERE pk = 'nobody' AND sk = 1`));
    expect(missing.name).toBe('ConditionalCheckFailedException');
    expect(await getRaw('nobody', 1)).toBeUndefined();
    await run(`INSERT INTO "${table}" VALUE {'pk': 'c', 'sk': 1, 'v': 1}`);
    const error = await failure(run(`UPDATE "${table}" SET v = 2 WHERE pk = 'c' AND sk = 1 AND v = 5`, undefined, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect((error as unknown as { Item?: unknown }).Item).toEqual({ pk: { S: 'c' }, sk: { N: '1' }, v: { N: '1' } });
    await run(`UPDATE "${table}" SET v = 2 WHERE pk = 'c' AND sk = 1 AND v = 1`);
    expect((await getRaw('c', 1))?.v).toEqual({ N: '2' });
  });

  it('DELETE removes an item, an absent one without a word, and one failing its terms not at all', async () => {
    await run(`INSERT INTO "${table}" VALUE {'pk': 'd', 'sk': 1, 'v': 1}`);
    expect((await run(`DELETE FROM "${table}" WHERE pk = 'nobody' AND sk = 1 AND v = 1`)).Items).toEqual([]);
    const error = await failure(run(`DELETE FROM "${table}" WHERE pk = 'd' AND sk = 1 AND v = 2`));
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(await getRaw('d', 1)).toBeDefined();
    const got = await run(`DELETE FROM "${table}" WHERE pk = ? AND sk = ? RETURNING ALL OLD *`, [{ S: 'd' }, { N: '1' }]);
    expect(got.Items).toEqual([{ pk: { S: 'd' }, sk: { N: '1' }, v: { N: '1' } }]);
    expect(await getRaw('d', 1)).toBeUndefined();
  });
});

describe('ExecuteStatement errors', () => {
  it.each([
    ['SELECT * FROM "TABLE" WHERE pk = 1 foo', "Statement wasn't well formed, can't be processed: Unexpected token after expression"],
    ['SELECT * FROM "TABLE" WHERE pk = ? AND sk = ?', "Number of parameters in request and statement don't match."],
    ["UPDATE \"TABLE\" SET a = 1 WHERE pk = 'p'", 'Where clause does not contain a mandatory equality on all key attributes'],
    ["DELETE FROM \"TABLE\" WHERE a = 'p'", 'Where clause does not contain a mandatory equality on all key attributes'],
    ["SELECT * FROM \"TABLE\" WHERE pk = 1 AND sk = 1", "Key attribute's data type should match its data type in table's schema: Key pk"],
    ["SELECT * FROM \"TABLE\" ORDER BY sk", 'Must have WHERE clause in the statement when using ORDER BY clause.'],
    ["SELECT * FROM \"TABLE\" WHERE tag = 'x' ORDER BY sk", 'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.'],
    ["EXISTS(SELECT * FROM \"TABLE\" WHERE pk = 'p' AND sk = 1 AND n = 1)", 'EXISTS can only be used in ExecuteTransaction write requests.'],
    ["INSERT INTO \"TABLE\" VALUE [1]", 'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.'],
  ])('refuses %s', async (statement, message) => {
    const error = await failure(run(statement.replace('TABLE', table), [{ S: 'p' }]));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('answers ResourceNotFoundException for a table that does not exist', async () => {
    const error = await failure(run(`SELECT * FROM "no-such-table" WHERE pk = 'p'`));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
