import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateGlobalTableCommand, ListGlobalTablesCommand, type ListGlobalTablesCommandInput } from '@aws-sdk/client-dynamodb';
import { createGlobalTable, createStreamTable, startCluster, type TestCluster } from '../helpers/cluster.js';
import { failure } from '../helpers/region.js';

const US = 'us-east-1';
const EU = 'eu-west-1';

let cluster: TestCluster;
/** Legacy global tables of both regions, in name order; a one-region legacy table and a 2019.11.21 global table beside them. */
const both = ['gt-a', 'gt-b', 'gt-c'];
const usOnly = 'gt-d';

const table = (region: string, name: string): Promise<void> => createStreamTable(cluster.byName(region).client, name);

async function legacy(name: string, regions: string[]): Promise<void> {
  for (const region of regions) await table(region, name);
  await cluster.byName(US).client.send(new CreateGlobalTableCommand({ GlobalTableName: name, ReplicationGroup: regions.map((RegionName) => ({ RegionName })) }));
}

beforeAll(async () => {
  cluster = await startCluster([US, EU]);
  for (const name of both) await legacy(name, [US, EU]);
  await legacy(usOnly, [US]);
  await createGlobalTable(cluster, 'gt-current');
  await table(US, 'gt-regional');
}, 60_000);
afterAll(async () => { await cluster?.stop(); });

const list = (input: ListGlobalTablesCommandInput = {}, region = US) =>
  cluster.byName(region).client.send(new ListGlobalTablesCommand(input));

const entry = (GlobalTableName: string, regions: string[]) => ({ GlobalTableName, ReplicationGroup: regions.map((RegionName) => ({ RegionName })) });

describe('ListGlobalTables', () => {
  it('lists the legacy global tables with their regions, in name order, in every member region', async () => {
    const all = await list();
    expect(all.GlobalTables).toEqual([...both.map((n) => entry(n, [EU, US])), entry(usOnly, [US])]);
    expect(all.LastEvaluatedGlobalTableName).toBeUndefined();
    expect((await list({}, EU)).GlobalTables).toEqual(both.map((n) => entry(n, [EU, US])));
  });

  it('keeps only the global tables with a replica in RegionName', async () => {
    expect((await list({ RegionName: EU })).GlobalTables?.map((t) => t.GlobalTableName)).toEqual(both);
    expect((await list({ RegionName: 'sa-east-1' })).GlobalTables).toEqual([]);
  });

  it('pages with Limit, LastEvaluatedGlobalTableName and ExclusiveStartGlobalTableName', async () => {
    const first = await list({ Limit: 2 });
    expect(first.GlobalTables?.map((t) => t.GlobalTableName)).toEqual(['gt-a', 'gt-b']);
    expect(first.LastEvaluatedGlobalTableName).toBe('gt-b');
    const second = await list({ Limit: 2, ExclusiveStartGlobalTableName: first.LastEvaluatedGlobalTableName });
    expect(second.GlobalTables?.map((t) => t.GlobalTableName)).toEqual(['gt-c', usOnly]);
    expect(second.LastEvaluatedGlobalTableName).toBeUndefined();
  });

  it.each([
    [{ Limit: 0 }, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    [{ Limit: 101 }, "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"],
    [{ ExclusiveStartGlobalTableName: 'ab' }, "1 validation error detected: Value 'ab' at 'exclusiveStartGlobalTableName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
  ])('rejects %j with ValidationException', async (input, message) => {
    const error = await failure(list(input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });
});
