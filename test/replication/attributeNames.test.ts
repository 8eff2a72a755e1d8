/**
 * Attribute names such as `__proto__` and `constructor` replicate as plain data, at item and at
 * attribute granularity (whose per-attribute versions are kept in objects keyed by name): the
 * change record, the receiving worker's encoding and the merge all keep them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';
import { rawCall, rawOk, sortedJson } from '../helpers/rawApi.js';

const NAMES = ['us-east-1', 'eu-west-1'];
const TRICKY = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__proto_'];

function trickyItem(pk: string, tag: string): Record<string, unknown> {
  const nested = Object.fromEntries(TRICKY.map((name) => [name, { S: `${tag} nested ${name}` }]));
  return Object.fromEntries([['pk', { S: pk }], ...TRICKY.map((name) => [name, { S: `${tag} ${name}` }]), ['m', { M: nested }]]);
}

describe.each(['item', 'attribute'] as const)('tricky attribute names replicate (%s granularity)', (granularity) => {
  let cluster: TestCluster;
  const endpoint = (i: number): string => cluster.regions[i].region.endpoint;
  const stored = async (i: number, pk: string): Promise<string | undefined> => {
    const answer = await rawCall(endpoint(i), 'GetItem', { TableName: 'names', Key: { pk: { S: pk } }, ConsistentRead: true });
    return answer.json.Item ? sortedJson(answer.json.Item) : undefined;
  };

  beforeAll(async () => {
    cluster = await startCluster(NAMES, { granularity });
    await createGlobalTable(cluster, 'names');
  }, 90_000);
  afterAll(async () => { await cluster?.stop(); });

  it('a put in one region arrives whole in the other', async () => {
    await rawOk(endpoint(0), 'PutItem', { TableName: 'names', Item: trickyItem('a', 'put') });
    const expected = sortedJson(trickyItem('a', 'put'));
    await eventually(async () => (await stored(1, 'a')) === expected, 15_000, 'the put replicated');
  });

  it('an update there of those names comes back, and both regions converge', async () => {
    await rawOk(endpoint(1), 'UpdateItem', {
      TableName: 'names', Key: { pk: { S: 'a' } },
      UpdateExpression: 'SET #p = :v, m.#c = :v REMOVE #t, m.#p',
      ExpressionAttributeNames: { '#p': '__proto__', '#c': 'constructor', '#t': 'toString' },
      ExpressionAttributeValues: { ':v': { S: 'updated' } },
    });
    const expected = trickyItem('a', 'put');
    const nested = (expected.m as { M: Record<string, unknown> }).M;
    Object.defineProperty(expected, '__proto__', { value: { S: 'updated' }, enumerable: true });
    Reflect.deleteProperty(expected, 'toString');
    Object.defineProperty(nested, 'constructor', { value: { S: 'updated' }, enumerable: true });
    Reflect.deleteProperty(nested, '__proto__');
    await eventually(async () => (await stored(0, 'a')) === sortedJson(expected), 15_000, 'the update replicated');
    await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), 'names');
    expect(await stored(1, 'a')).toBe(sortedJson(expected));
  });

  it('a delete of such an item replicates', async () => {
    await rawOk(endpoint(0), 'PutItem', { TableName: 'names', Item: trickyItem('gone', 'put') });
    await eventually(async () => (await stored(1, 'gone')) !== undefined, 15_000, 'the put replicated');
    await rawOk(endpoint(1), 'DeleteItem', { TableName: 'names', Key: { pk: { S: 'gone' } }, ConditionExpression: 'attribute_exists(#p)', ExpressionAttributeNames: { '#p': '__proto__' } });
    await eventually(async () => (await stored(0, 'gone')) === undefined, 15_000, 'the delete replicated');
  });
});
