/**
 * A valid request for every operation a region serves, drawn over the fuzz world's tables, keys
 * and attribute names (tricky names included). Mutations start from these, so a malformed
 * request gets past the first type check and into the operation's own code.
 */
import fc from 'fast-check';
import { ATTRIBUTE_NAMES, HASH_TABLE, PARTITIONS, RANGE_TABLE, SPARE_TABLES, type FuzzWorld } from './world.js';

type Json = Record<string, unknown>;

const name = fc.constantFrom(...ATTRIBUTE_NAMES);
/** Present half the time. */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 });
const partition = fc.constantFrom(...PARTITIONS);
const sortKey = fc.integer({ min: 0, max: 5 });
const spareTable = fc.constantFrom(...SPARE_TABLES);
const itemTable = fc.constantFrom(HASH_TABLE, RANGE_TABLE);

export const attributeValue: fc.Arbitrary<Json> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string().map((S) => ({ S })),
    fc.integer({ min: -1e6, max: 1e6 }).map((n) => ({ N: String(n) })),
    fc.uint8Array({ maxLength: 8 }).map((b) => ({ B: Buffer.from(b).toString('base64') })),
    fc.boolean().map((BOOL) => ({ BOOL })),
    fc.constant({ NULL: true }),
    fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }).map((SS) => ({ SS })),
    fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 3 }).map((ns) => ({ NS: ns.map(String) })),
    fc.array(tie('value'), { maxLength: 3 }).map((L) => ({ L })),
    fc.dictionary(name, tie('value'), { maxKeys: 3 }).map((M) => ({ M })),
  ),
})).value;

function key(table: string, pk: string, sk: number): Json {
  return table === HASH_TABLE ? { pk: { S: pk } } : { pk: { S: pk }, sk: { N: String(sk) } };
}

const keyArb = fc.tuple(itemTable, partition, sortKey).map(([table, pk, sk]) => ({ table, key: key(table, pk, sk) }));

/** A condition or filter over placeholders #a, #b and :v, with the maps that make it valid. */
const condition = fc.tuple(
  fc.constantFrom('attribute_exists(#a)', 'attribute_not_exists(#a) OR #a < :v', '#a = :v AND #b <> :v', 'size(#a) > :v',
    'begins_with(#a, :v)', 'contains(#a, :v)', '#a.#b = :v', 'NOT (#a IN (:v, :v))', '#a BETWEEN :v AND :v', 'attribute_type(#a, :v)'),
  name, name, attributeValue,
).map(([text, a, b, v]) => ({ text, names: { '#a': a, '#b': b }, values: { ':v': v } }));

/** Placeholder maps holding only what the expressions use (DynamoDB refuses unused ones). */
function placeholders(texts: string[], names: Json, values: Json): Json {
  const all = texts.join(' ');
  const used = (map: Json): Json => Object.fromEntries(Object.entries(map).filter(([k]) => new RegExp(`${k}\\b`).test(all)));
  const out: Json = {};
  if (Object.keys(used(names)).length) out.ExpressionAttributeNames = used(names);
  if (Object.keys(used(values)).length) out.ExpressionAttributeValues = used(values);
  return out;
}

/** A PartiQL double-quoted name. */
const quoted = (text: string): string => `"${text.replace(/"/g, '""')}"`;

const projection = fc.constantFrom('#a', '#a, #b', '#a.#b', '#a[0]', 'pk, #a');
const itemWith = (table: string, pk: string, sk: number) => fc.dictionary(name, attributeValue, { maxKeys: 4 })
  .map((attrs) => ({ ...attrs, ...key(table, pk, sk) }));
const numberValue = fc.integer({ min: -99, max: 99 }).map((n) => ({ N: String(n) }));
const setValue = fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { minLength: 1 }).map((SS) => ({ SS }));
/** Update expressions, each with a value of the type it takes. */
const update = fc.oneof(
  fc.tuple(fc.constantFrom('SET #a = :v', 'SET #a = if_not_exists(#a, :v)', 'SET #a.#b = :v', 'REMOVE #a', 'REMOVE #a[1], #b'), attributeValue),
  fc.tuple(fc.constantFrom('SET #a = list_append(#a, :v)'), fc.array(attributeValue, { maxLength: 2 }).map((L) => ({ L }))),
  fc.tuple(fc.constantFrom('ADD #a :v', 'SET #a = #a + :v', 'SET #a = :v - #b'), numberValue),
  fc.tuple(fc.constantFrom('ADD #a :v', 'DELETE #a :v'), setValue),
);

const conditionalWrite = (base: Json) => fc.tuple(maybe(condition), fc.constantFrom('NONE', 'ALL_OLD'))
  .map(([c, ReturnValues]) => (c ? { ...base, ReturnValues, ConditionExpression: c.text, ...placeholders([c.text], c.names, c.values) } : { ...base, ReturnValues }));

function itemOps(): Record<string, fc.Arbitrary<Json>> {
  return {
    PutItem: fc.tuple(itemTable, partition, sortKey).chain(([table, pk, sk]) => itemWith(table, pk, sk)
      .chain((Item) => conditionalWrite({ TableName: table, Item }))),
    GetItem: fc.tuple(keyArb, fc.option(fc.tuple(projection, name, name), { nil: undefined })).map(([{ table, key: Key }, p]) => (p
      ? { TableName: table, Key, ProjectionExpression: p[0], ...placeholders([p[0]], { '#a': p[1], '#b': p[2] }, {}) }
      : { TableName: table, Key, AttributesToGet: ['pk', 'a'], ConsistentRead: true })),
    DeleteItem: keyArb.chain(({ table, key: Key }) => conditionalWrite({ TableName: table, Key })),
    UpdateItem: fc.tuple(keyArb, update, name, name, maybe(condition),
      fc.constantFrom('NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'))
      .map(([{ table, key: Key }, [text, v], a, b, c, ReturnValues]) => {
        const texts = c ? [text, c.text] : [text];
        const values = { ':v': c && !text.includes(':v') ? c.values[':v'] : v };
        return { TableName: table, Key, UpdateExpression: text, ReturnValues, ...(c ? { ConditionExpression: c.text } : {}), ...placeholders(texts, { ...c?.names, '#a': a, '#b': b }, values) };
      }),
    Query: fc.tuple(partition, sortKey, maybe(condition), fc.boolean(), fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }))
      .map(([pk, sk, c, forward, Limit]) => {
        const keyText = 'pk = :pk AND sk >= :sk';
        const texts = c ? [keyText, c.text] : [keyText];
        return {
          TableName: RANGE_TABLE, KeyConditionExpression: keyText, ScanIndexForward: forward, Limit,
          ...(c ? { FilterExpression: c.text } : {}),
          ...placeholders(texts, { ...c?.names }, { ':pk': { S: pk }, ':sk': { N: String(sk) }, ...c?.values }),
        };
      }),
    Scan: fc.tuple(itemTable, maybe(condition), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }))
      .map(([table, c, total]) => ({
        TableName: table, ...(total ? { Segment: total - 1, TotalSegments: total } : {}),
        ...(c ? { FilterExpression: c.text, ...placeholders([c.text], c.names, c.values) } : { ScanFilter: { a: { ComparisonOperator: 'NOT_NULL' } } }),
      })),
    BatchGetItem: fc.uniqueArray(partition, { minLength: 1, maxLength: 3 }).map((pks) => ({
      RequestItems: { [HASH_TABLE]: { Keys: pks.map((pk) => key(HASH_TABLE, pk, 0)), ProjectionExpression: 'pk, #n', ExpressionAttributeNames: { '#n': '__proto__' } } },
    })),
    BatchWriteItem: fc.uniqueArray(partition, { minLength: 1, maxLength: 3 }).chain((pks) => fc.tuple(...pks.map((pk) => fc.oneof(
      itemWith(HASH_TABLE, pk, 0).map((Item) => ({ PutRequest: { Item } })),
      fc.constant({ DeleteRequest: { Key: key(HASH_TABLE, pk, 0) } }),
    )))).map((writes) => ({ RequestItems: { [HASH_TABLE]: writes } })),
    TransactWriteItems: fc.uniqueArray(partition, { minLength: 1, maxLength: 3 }).chain((pks) => fc.tuple(...pks.map((pk) => fc.oneof(
      itemWith(HASH_TABLE, pk, 0).chain((Item) => conditionalWrite({ TableName: HASH_TABLE, Item })).map(({ ReturnValues: _, ...Put }) => ({ Put })),
      conditionalWrite({ TableName: HASH_TABLE, Key: key(HASH_TABLE, pk, 0) }).map(({ ReturnValues: _, ...Delete }) => ({ Delete })),
      fc.tuple(condition).map(([c]) => ({ ConditionCheck: { TableName: HASH_TABLE, Key: key(HASH_TABLE, pk, 0), ConditionExpression: c.text, ...placeholders([c.text], c.names, c.values) } })),
    )))).map((TransactItems) => ({ TransactItems, ReturnConsumedCapacity: 'TOTAL' })),
    TransactGetItems: fc.uniqueArray(partition, { minLength: 1, maxLength: 3 }).map((pks) => ({
      TransactItems: pks.map((pk) => ({ Get: { TableName: HASH_TABLE, Key: key(HASH_TABLE, pk, 0), ProjectionExpression: 'pk, #n', ExpressionAttributeNames: { '#n': '__proto__' } } })),
    })),
    ExecuteStatement: fc.oneof(
      fc.tuple(itemTable, partition, name).map(([table, pk, a]) => ({ Statement: `SELECT ${quoted(a)}, pk FROM "${table}" WHERE pk = ? AND ${quoted(a)} IS NOT MISSING`, Parameters: [{ S: pk }] })),
      fc.tuple(partition, name, attributeValue).map(([pk, a, v]) => ({ Statement: `UPDATE "${HASH_TABLE}" SET ${quoted(a)} = ? WHERE pk = ?`, Parameters: [v, { S: pk }] })),
      fc.tuple(partition, name, attributeValue).map(([pk, a, v]) => ({ Statement: `INSERT INTO "${HASH_TABLE}" VALUE {'pk': ?, '${a.replace(/'/g, "''")}': ?}`, Parameters: [{ S: pk }, v] })),
      fc.tuple(partition, name, attributeValue).map(([pk, a, v]) => ({ Statement: `DELETE FROM "${HASH_TABLE}" WHERE pk = ? AND ${quoted(a)} <> ?`, Parameters: [{ S: pk }, v] })),
    ),
    BatchExecuteStatement: fc.uniqueArray(partition, { minLength: 1, maxLength: 3 }).map((pks) => ({
      Statements: pks.map((pk) => ({ Statement: `UPDATE "${HASH_TABLE}" SET n = 1 WHERE pk = ?`, Parameters: [{ S: pk }] })),
    })),
    ExecuteTransaction: fc.uniqueArray(partition, { minLength: 1, maxLength: 3 }).map((pks) => ({
      TransactStatements: pks.map((pk) => ({ Statement: `SELECT * FROM "${HASH_TABLE}" WHERE pk = ?`, Parameters: [{ S: pk }] })),
    })),
  };
}

function tableOps(): Record<string, fc.Arbitrary<Json>> {
  const anyTable = fc.oneof(itemTable, spareTable);
  return {
    CreateTable: spareTable.map((TableName) => ({
      TableName, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: '__proto__', AttributeType: 'S' }], KeySchema: [{ AttributeName: '__proto__', KeyType: 'HASH' }],
    })),
    DescribeTable: anyTable.map((TableName) => ({ TableName })),
    ListTables: fc.record({ Limit: fc.integer({ min: 1, max: 100 }), ExclusiveStartTableName: anyTable }, { requiredKeys: [] }),
    UpdateTable: fc.tuple(spareTable, fc.boolean()).map(([TableName, enabled]) => ({
      TableName, StreamSpecification: enabled ? { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } : { StreamEnabled: false },
    })),
    DeleteTable: spareTable.map((TableName) => ({ TableName })),
    UpdateTimeToLive: fc.tuple(spareTable, name, fc.boolean()).map(([TableName, AttributeName, Enabled]) => ({ TableName, TimeToLiveSpecification: { AttributeName, Enabled } })),
    DescribeTimeToLive: anyTable.map((TableName) => ({ TableName })),
    CreateGlobalTable: spareTable.map((GlobalTableName) => ({ GlobalTableName, ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: '__proto__' }] })),
    DescribeGlobalTable: anyTable.map((GlobalTableName) => ({ GlobalTableName })),
    UpdateGlobalTable: spareTable.map((GlobalTableName) => ({ GlobalTableName, ReplicaUpdates: [{ Create: { RegionName: 'constructor' } }] })),
    ListGlobalTables: fc.record({ Limit: fc.integer({ min: 1, max: 100 }), RegionName: fc.constantFrom('us-east-1', 'toString') }, { requiredKeys: [] }),
    TagResource: fc.tuple(tableArn(anyTable), fc.uniqueArray(fc.constantFrom('env', '__proto__', 'constructor', 'a b'), { minLength: 1 }), fc.string({ maxLength: 4 }))
      .map(([ResourceArn, keys, Value]) => ({ ResourceArn, Tags: keys.map((Key) => ({ Key, Value })) })),
    UntagResource: fc.tuple(tableArn(anyTable), fc.uniqueArray(fc.constantFrom('env', '__proto__', 'toString'), { minLength: 1 }))
      .map(([ResourceArn, TagKeys]) => ({ ResourceArn, TagKeys })),
    DescribeContinuousBackups: anyTable.map((TableName) => ({ TableName })),
    UpdateContinuousBackups: fc.tuple(spareTable, fc.boolean(), maybe(fc.integer({ min: 1, max: 35 })))
      .map(([TableName, PointInTimeRecoveryEnabled, RecoveryPeriodInDays]) => ({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled, RecoveryPeriodInDays } })),
    DescribeGlobalTableSettings: anyTable.map((GlobalTableName) => ({ GlobalTableName })),
    UpdateGlobalTableSettings: fc.tuple(spareTable, fc.constantFrom('PROVISIONED', 'PAY_PER_REQUEST'), fc.integer({ min: 1, max: 100 }), fc.constantFrom('us-east-1', '__proto__'))
      .map(([GlobalTableName, GlobalTableBillingMode, units, RegionName]) => ({
        GlobalTableName, GlobalTableBillingMode, GlobalTableProvisionedWriteCapacityUnits: units,
        ReplicaSettingsUpdate: [{ RegionName, ReplicaProvisionedReadCapacityUnits: units }],
      })),
    DescribeEndpoints: fc.constant({}),
    DescribeLimits: fc.constant({}),
    ListTagsOfResource: fc.tuple(tableArn(anyTable), maybe(fc.constantFrom('env', '__proto__'))).map(([ResourceArn, NextToken]) => ({ ResourceArn, NextToken })),
  };
}

/** The ARN of one of the world's tables, as the tag operations name it. */
const tableArn = (table: fc.Arbitrary<string>): fc.Arbitrary<string> => table.map((name) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`);

function streamOps(world: FuzzWorld): Record<string, fc.Arbitrary<Json>> {
  // The issue time of the world's own iterator: hand-made iterators are then as fresh as it.
  const [, , issuedAtMs] = JSON.parse(Buffer.from(world.shardIterator.split('|1|')[1], 'base64').toString()) as [string, number, number];
  return {
    ListStreams: fc.record({ TableName: itemTable, Limit: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
    DescribeStream: fc.constant({ StreamArn: world.streamArn, Limit: 10 }),
    GetShardIterator: fc.constantFrom('TRIM_HORIZON', 'LATEST').map((ShardIteratorType) => ({ StreamArn: world.streamArn, ShardId: world.shardId, ShardIteratorType })),
    GetRecords: fc.oneof(
      fc.constant({ ShardIterator: world.shardIterator, Limit: 5 }),
      // Iterators made by hand: the same form with positions and times a region never hands out.
      fc.tuple(fc.constantFrom(world.shardId, '__proto__', ''), fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e300, 1), fc.constantFrom(issuedAtMs, 0, -1, 8.64e15 + 1))
        .map((state) => ({ ShardIterator: `${world.streamArn}|1|${Buffer.from(JSON.stringify(state)).toString('base64')}`, Limit: 1000 })),
    ),
  };
}

/** Valid requests by service target prefix and operation name. */
export function validRequests(world: FuzzWorld): Record<string, Record<string, fc.Arbitrary<Json>>> {
  return {
    DynamoDB_20120810: { ...itemOps(), ...tableOps() },
    DynamoDBStreams_20120810: streamOps(world),
  };
}
