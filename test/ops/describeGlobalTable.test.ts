import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateGlobalTableCommand, DescribeGlobalTableCommand } from '@aws-sdk/client-dynamodb';
import { createGlobalTable, createStreamTable, startCluster, type TestCluster } from '../helpers/cluster.js';
import { failure, uniqueTableName } from '../helpers/region.js';

const US = 'us-east-1';
const EU = 'eu-west-1';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster([US, EU]); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

const table = (region: string, name: string): Promise<void> => createStreamTable(cluster.byName(region).client, name);

const describeIn = (region: string, name: string) =>
  cluster.byName(region).client.send(new DescribeGlobalTableCommand({ GlobalTableName: name }));

describe('DescribeGlobalTable', () => {
  it('describes the global table alike in every member region', async () => {
    const name = uniqueTableName('legacy');
    await table(US, name);
    await table(EU, name);
    const created = await cluster.byName(US).client.send(new CreateGlobalTableCommand({
      GlobalTableName: name, ReplicationGroup: [{ RegionName: US }, { RegionName: EU }],
    }));
    const expected = {
      GlobalTableName: name,
      GlobalTableStatus: 'ACTIVE',
      GlobalTableArn: `arn:aws:dynamodb::${cluster.byName(US).region.ctx.accountId}:global-table/${name}`,
      ReplicationGroup: [{ RegionName: EU }, { RegionName: US }],
    };
    const here = (await describeIn(US, name)).GlobalTableDescription;
    expect(here).toEqual({ ...expected, CreationDateTime: created.GlobalTableDescription?.CreationDateTime });
    expect((await describeIn(EU, name)).GlobalTableDescription).toMatchObject(expected);
  });

  it.each([
    ['a missing table', async () => uniqueTableName('absent')],
    ['a regional table', async () => { const name = uniqueTableName('regional'); await table(US, name); return name; }],
    ['a 2019.11.21 global table', async () => { const name = uniqueTableName('current'); await createGlobalTable(cluster, name); return name; }],
  ])('fails with GlobalTableNotFoundException for %s', async (_what, make) => {
    const name = await make();
    const error = await failure(describeIn(US, name));
    expect(error.name).toBe('GlobalTableNotFoundException');
    expect(error.message).toBe(`Global table not found: Global table with name: '${name}' does not exist.`);
  });

  it('validates GlobalTableName as DynamoDB does', async () => {
    const error = await failure(describeIn(US, 'ab*c'));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe("1 validation error detected: Value 'ab*c' at 'globalTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  });
});
