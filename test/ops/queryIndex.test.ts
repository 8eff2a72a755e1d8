import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createIndexedTable } from '../helpers/indexTables.js';

let region: TestRegion;
let table: string;

type Row = Record<string, AttributeValue>;
const person = (sk: string, extra: Row): Row => ({ pk: { S: 'team' }, sk: { S: sk }, ...extra });
const people: Row[] = [
  person('ann', { score: { N: '30' }, city: { S: 'Oslo' }, name: { S: 'Ann' }, age: { N: '41' }, note: { S: 'a' } }),
  person('bob', { score: { N: '-2' }, city: { S: 'Oslo' }, name: { S: 'Bob' }, age: { N: '35' }, note: { S: 'b' } }),
  person('cid', { score: { N: '7.5' }, city: { S: 'Rome' }, name: { S: 'Cid' }, note: { S: 'c' } }),
  person('dee', { note: { S: 'no index keys' } }),
  person('eve', { score: { N: '100' }, city: { S: 'Oslo' }, name: { S: 'Bob' }, age: { N: '35' } }),
];

beforeAll(async () => {
  region = await startTestRegion();
  table = await createIndexedTable(region.client);
  await region.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: people.map((Item) => ({ PutRequest: { Item } })) } }));
});
afterAll(async () => { await region.stop(); });

const query = (input: Record<string, unknown>) => region.client.send(new QueryCommand({ TableName: table, ...input } as never));
const inCity = (city: string, extra: Record<string, unknown> = {}) => query({
  IndexName: 'byCity', KeyConditionExpression: 'city = :c', ExpressionAttributeValues: { ':c': { S: city } }, ...extra,
});
const field = (items: Row[] | undefined, name: string) => (items ?? []).map((item) => item[name]?.S ?? item[name]?.N);

describe('Query on a local secondary index', () => {
  it('refuses a path inside an index key attribute, as inside a table key', async () => {
    const error = await failure(query({
      KeyConditionExpression: 'pk = :p', FilterExpression: 'attribute_exists(city.x) AND note = :n', ExpressionAttributeValues: { ':p': { S: 'team' }, ':n': { S: 'a' } },
    }));
    expect(error.message).toBe("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: city");
    const update = await failure(region.client.send(new UpdateItemCommand({
      TableName: table, Key: { pk: { S: 'team' }, sk: { S: 'ann' } }, UpdateExpression: 'SET x2 = city[1]',
    })));
    expect(update.message).toBe("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: city");
  });

  it('returns the partition in index sort order, projecting the keys only', async () => {
    const result = await query({ IndexName: 'byScore', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'team' } } });
    expect(field(result.Items, 'sk')).toEqual(['bob', 'cid', 'ann', 'eve']);
    expect(result.Items![0]).toEqual({ pk: { S: 'team' }, sk: { S: 'bob' }, score: { N: '-2' } });
  });

  it('narrows by the index sort key and reads backwards', async () => {
    const result = await query({
      IndexName: 'byScore', KeyConditionExpression: 'pk = :p AND score BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':p': { S: 'team' }, ':lo': { N: '0' }, ':hi': { N: '30' } }, ScanIndexForward: false,
    });
    expect(field(result.Items, 'sk')).toEqual(['ann', 'cid']);
  });

  it('fetches attributes it does not project from the table', async () => {
    const all = await query({ IndexName: 'byScore', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'team' } }, Select: 'ALL_ATTRIBUTES', Limit: 1 });
    expect(all.Items).toEqual([people[1]]);
    const some = await query({ IndexName: 'byScore', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'team' } }, ProjectionExpression: 'note, score' });
    expect(some.Items).toEqual([{ note: { S: 'b' }, score: { N: '-2' } }, { note: { S: 'c' }, score: { N: '7.5' } }, { note: { S: 'a' }, score: { N: '30' } }, { score: { N: '100' } }]);
  });
});

describe('Query on a global secondary index', () => {
  it('leaves out items without the index keys and projects what the index includes', async () => {
    const result = await inCity('Oslo');
    expect(field(result.Items, 'name')).toEqual(['Ann', 'Bob', 'Bob']);
    expect(result.Items![0]).toEqual({ pk: { S: 'team' }, sk: { S: 'ann' }, city: { S: 'Oslo' }, name: { S: 'Ann' }, age: { N: '41' } });
  });

  it('pages with a LastEvaluatedKey holding the index key and the table key', async () => {
    const first = await inCity('Oslo', { Limit: 2 });
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'team' }, sk: { S: 'bob' }, city: { S: 'Oslo' }, name: { S: 'Bob' } });
    const rest = await inCity('Oslo', { ExclusiveStartKey: first.LastEvaluatedKey });
    expect(field(rest.Items, 'sk')).toEqual(['eve']);
    expect(rest.LastEvaluatedKey).toBeUndefined();
  });

  it('queries a hash-only index', async () => {
    const result = await query({ IndexName: 'byAge', KeyConditionExpression: 'age = :a', ExpressionAttributeValues: { ':a': { N: '35' } } });
    expect(result.Items).toEqual(expect.arrayContaining([people[1], people[4]]));
    expect(result.Count).toBe(2);
  });

  it('reports the index in ConsumedCapacity when INDEXES is asked for', async () => {
    const result = await inCity('Rome', { ReturnConsumedCapacity: 'INDEXES' });
    expect(result.ConsumedCapacity).toEqual({ TableName: table, CapacityUnits: 0.5, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { byCity: { CapacityUnits: 0.5 } } });
  });

  it('follows updates and deletes', async () => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: person('fay', { city: { S: 'Lima' }, name: { S: 'Fay' } }) }));
    expect(field((await inCity('Lima')).Items, 'sk')).toEqual(['fay']);
    await region.client.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'team' }, sk: { S: 'fay' } }, UpdateExpression: 'SET city = :c', ExpressionAttributeValues: { ':c': { S: 'Kyiv' } } }));
    expect((await inCity('Lima')).Count).toBe(0);
    expect(field((await inCity('Kyiv')).Items, 'sk')).toEqual(['fay']);
    await region.client.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'team' }, sk: { S: 'fay' } }, UpdateExpression: 'REMOVE #n', ExpressionAttributeNames: { '#n': 'name' } }));
    expect((await inCity('Kyiv')).Count).toBe(0);
    await region.client.send(new PutItemCommand({ TableName: table, Item: person('fay', { city: { S: 'Kyiv' }, name: { S: 'Fay' } }) }));
    await region.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'team' }, sk: { S: 'fay' } } }));
    expect((await inCity('Kyiv')).Count).toBe(0);
  });

  it.each([
    [{ ConsistentRead: true }, 'Consistent reads are not supported on global secondary indexes'],
    [{ Select: 'ALL_ATTRIBUTES' }, 'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byCity because its projection type is not ALL'],
    [{ ProjectionExpression: 'age, note, score.x, score.y' }, 'One or more parameter values were invalid: Global secondary index byCity does not project [note, score]'],
    [{ ProjectionExpression: '#n, secret', ExpressionAttributeNames: { '#n': 'name' } }, 'One or more parameter values were invalid: Global secondary index byCity does not project [secret]'],
    [{ Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: 'note' }, 'One or more parameter values were invalid: Global secondary index byCity does not project [note]'],
    [{ FilterExpression: 'note = :n OR score > :n OR age > :n', ExpressionAttributeValues: { ':c': { S: 'Oslo' }, ':n': { N: '1' } } }, 'One or more parameter values were invalid: Secondary index byCity does not project one or more filter attributes: [note, score]'],
    [{ ExclusiveStartKey: { pk: { S: 'team' }, sk: { S: 'ann' } } }, 'The provided starting key is invalid'],
    [{ ExclusiveStartKey: { pk: { S: 'team' }, sk: { S: 'ann' }, city: { N: '1' }, name: { S: 'x' } } }, 'The provided key element does not match the schema'],
    [{ ExclusiveStartKey: { pk: { S: 'team' }, sk: { S: 'ann' }, city: { S: 'Rome' }, name: { S: 'x' } } }, 'The provided starting key is outside query boundaries based on provided conditions'],
  ])('refuses %j', async (extra, message) => {
    const error = await failure(inCity('Oslo', extra));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('answers a projection of projected attributes only, nested paths included', async () => {
    const result = await inCity('Rome', { ProjectionExpression: 'sk, age, city' });
    expect(result.Items).toEqual([{ sk: { S: 'cid' }, city: { S: 'Rome' } }]);
  });

  it('filters a global index on what it projects; a local index on anything', async () => {
    const older = await inCity('Oslo', { FilterExpression: 'age > :a', ExpressionAttributeValues: { ':c': { S: 'Oslo' }, ':a': { N: '36' } } });
    expect(field(older.Items, 'sk')).toEqual(['ann']);
    const noted = await query({ IndexName: 'byScore', KeyConditionExpression: 'pk = :p', FilterExpression: 'note = :n', ExpressionAttributeValues: { ':p': { S: 'team' }, ':n': { S: 'c' } } });
    expect(field(noted.Items, 'sk')).toEqual(['cid']);
    const legacy = await failure(query({
      IndexName: 'byCity', KeyConditions: { city: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'Oslo' }] } },
      QueryFilter: { note: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } },
    }));
    expect(legacy.message).toBe('One or more parameter values were invalid: Secondary index byCity does not project one or more filter attributes: [note]');
  });

  it('refuses AttributesToGet naming an attribute the index does not project', async () => {
    const error = await failure(query({
      IndexName: 'byCity', KeyConditions: { city: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'Oslo' }] } },
      AttributesToGet: ['name', 'note'], Select: 'SPECIFIC_ATTRIBUTES',
    }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('One or more parameter values were invalid: Global secondary index byCity does not project [note]');
  });

  it('lets an index projecting ALL answer any attribute', async () => {
    const result = await query({ IndexName: 'byAge', KeyConditionExpression: 'age = :a', ExpressionAttributeValues: { ':a': { N: '41' } }, ProjectionExpression: 'note' });
    expect(result.Items).toEqual([{ note: { S: 'a' } }]);
  });

  it('refuses an index the table does not have', async () => {
    const error = await failure(query({ IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'team' } } }));
    expect(error.message).toBe('The table does not have the specified index: nope');
  });
});

describe('Writes to a table with secondary indexes', () => {
  it('refuses an index key of the wrong type or empty, changing nothing', async () => {
    const wrongType = await failure(region.client.send(new PutItemCommand({ TableName: table, Item: person('bad', { city: { N: '1' } }) })));
    expect(wrongType.message).toBe('One or more parameter values were invalid: Type mismatch for Index Key city Expected: S Actual: N IndexName: byCity');
    const empty = await failure(region.client.send(new PutItemCommand({ TableName: table, Item: person('bad', { name: { S: '' } }) })));
    expect(empty.message).toBe('One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byCity, IndexKey: name');
    const items = await query({ KeyConditionExpression: 'pk = :p AND sk = :s', ExpressionAttributeValues: { ':p': { S: 'team' }, ':s': { S: 'bad' } } });
    expect(items.Count).toBe(0);
  });

  it('refuses an update writing an index key of another type: a known type before the paths are checked, a copied one once applied', async () => {
    const update = (expression: string, values?: Row) => failure(region.client.send(new UpdateItemCommand({
      TableName: table, Key: { pk: { S: 'team' }, sk: { S: 'ann' } }, UpdateExpression: expression, ...(values ? { ExpressionAttributeValues: values } : {}),
      ...(expression.includes('#n') ? { ExpressionAttributeNames: { '#n': 'name' } } : {}),
    })));
    const one = { ':one': { N: '1' } };
    for (const expression of ['SET #n.given = note ADD city :one', 'SET extra = city[1], city = note + :one']) {
      expect((await update(expression, one)).message).toBe('One or more parameter values were invalid: Type mismatch for Index Key city Expected: S Actual: N IndexName: byCity');
    }
    expect((await update('SET city = age')).message).toBe('The update expression attempted to update the secondary index key to unsupported type');
    const items = await query({ KeyConditionExpression: 'pk = :p AND sk = :s', ExpressionAttributeValues: { ':p': { S: 'team' }, ':s': { S: 'ann' } } });
    expect(items.Items?.[0]?.city).toEqual({ S: 'Oslo' });
  });

  it('counts the entries of each index in DescribeTable', async () => {
    const { Table } = await region.client.send(new DescribeTableCommand({ TableName: table }));
    const counts = Object.fromEntries([...Table!.LocalSecondaryIndexes!, ...Table!.GlobalSecondaryIndexes!].map((index) => [index.IndexName, index.ItemCount]));
    expect(counts).toEqual({ byScore: 4, byCity: 4, byAge: 3 });
  });
});

describe('Capacity of a local index read that fetches from the table', () => {
  it('charges the table for the items fetched and the index for its entries, each summed before rounding', async () => {
    const fetching = await createIndexedTable(region.client);
    // Three items of about 2.5 KB: 2 units summed (7.5 KB), where rounding each item would make 3.
    const rows = ['a', 'b', 'c'].map((sk, i) => ({ pk: { S: 'p' }, sk: { S: sk }, score: { N: String(i) }, body: { S: 'x'.repeat(2500) } }));
    await region.client.send(new BatchWriteItemCommand({ RequestItems: { [fetching]: rows.map((Item) => ({ PutRequest: { Item } })) } }));
    const ask = (ReturnConsumedCapacity: 'TOTAL' | 'INDEXES') => region.client.send(new QueryCommand({
      TableName: fetching, IndexName: 'byScore', ConsistentRead: true, Select: 'ALL_ATTRIBUTES', ReturnConsumedCapacity,
      KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
    }));
    const total = await ask('TOTAL');
    expect(total.Items!.map((item) => item.body.S!.length)).toEqual([2500, 2500, 2500]);
    expect(total.ConsumedCapacity).toEqual({ TableName: fetching, CapacityUnits: 3 });
    expect((await ask('INDEXES')).ConsumedCapacity).toEqual({
      TableName: fetching, CapacityUnits: 3, Table: { CapacityUnits: 2 }, LocalSecondaryIndexes: { byScore: { CapacityUnits: 1 } },
    });
  });
});
