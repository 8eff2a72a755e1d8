import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(['us-east-1', 'eu-west-1']); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

describe('transactions on a global table', () => {
  it("replicate as separate item changes, in the transaction's order, and converge", async () => {
    await createGlobalTable(cluster, 'txn');
    const [a, b] = cluster.regions;
    await a.doc.send(new PutCommand({ TableName: 'txn', Item: { pk: 'gone', v: 0 } }));
    await eventually(async () => (await b.doc.send(new GetCommand({ TableName: 'txn', Key: { pk: 'gone' } }))).Item, 10_000, 'first put in b');
    const before = b.region.ctx.store.lastLsn();
    await a.client.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: 'txn', Item: { pk: { S: 'one' }, v: { N: '1' } } } },
        { Update: { TableName: 'txn', Key: { pk: { S: 'two' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } } },
        { Delete: { TableName: 'txn', Key: { pk: { S: 'gone' } }, ConditionExpression: 'attribute_exists(pk)' } },
        { ConditionCheck: { TableName: 'txn', Key: { pk: { S: 'absent' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    }));
    await eventually(async () => b.region.ctx.store.lastLsn() >= before + 3, 10_000, 'three changes in b');
    const changes = b.region.ctx.store.changesAfter(before, 10);
    expect(changes.map((c) => [c.eventName, c.keys.pk, c.origin])).toEqual([
      ['INSERT', { S: 'one' }, a.name],
      ['INSERT', { S: 'two' }, a.name],
      ['REMOVE', { S: 'gone' }, a.name],
    ]);
    expect((await b.doc.send(new GetCommand({ TableName: 'txn', Key: { pk: 'two' } }))).Item).toEqual({ pk: 'two', v: 2 });
    await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), 'txn');
  });
});
