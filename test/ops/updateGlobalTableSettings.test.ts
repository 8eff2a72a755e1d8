import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeTableCommand, UpdateGlobalTableSettingsCommand,
  type UpdateGlobalTableSettingsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { createProvisionedLegacyGlobalTable, startCluster, type TestCluster } from '../helpers/cluster.js';
import { failure } from '../helpers/region.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(['us-east-1', 'eu-west-1']); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

const US = 'us-east-1';
const EU = 'eu-west-1';

/** A legacy global table of US and EU, provisioned with 5 read and 5 write units in each. */
const globalTable = (): Promise<string> => createProvisionedLegacyGlobalTable(cluster, [US, EU]);

const update = (input: Omit<UpdateGlobalTableSettingsCommandInput, 'GlobalTableName'>, name: string) =>
  cluster.byName(US).client.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: name, ...input }));
const tableIn = async (region: string, name: string) => (await cluster.byName(region).client.send(new DescribeTableCommand({ TableName: name }))).Table!;

describe('UpdateGlobalTableSettings', () => {
  it('sets the write capacity of every replica and the read capacity of the one named; DescribeTable shows them in each region', async () => {
    const name = await globalTable();
    const answer = await update({ GlobalTableProvisionedWriteCapacityUnits: 12, ReplicaSettingsUpdate: [{ RegionName: EU, ReplicaProvisionedReadCapacityUnits: 9 }] }, name);
    expect(answer.GlobalTableName).toBe(name);
    expect(answer.ReplicaSettings?.map((r) => [r.RegionName, r.ReplicaProvisionedReadCapacityUnits, r.ReplicaProvisionedWriteCapacityUnits]))
      .toEqual([[EU, 9, 12], [US, 5, 12]]);
    expect((await tableIn(EU, name)).ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 9, WriteCapacityUnits: 12 });
    expect((await tableIn(US, name)).ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 12 });
  });

  it('switches every replica to PAY_PER_REQUEST, and back to PROVISIONED with the capacity given', async () => {
    const name = await globalTable();
    const onDemand = await update({ GlobalTableBillingMode: 'PAY_PER_REQUEST' }, name);
    expect(onDemand.ReplicaSettings?.map((r) => r.ReplicaBillingModeSummary?.BillingMode)).toEqual(['PAY_PER_REQUEST', 'PAY_PER_REQUEST']);
    for (const region of [US, EU]) expect((await tableIn(region, name)).BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');

    const incomplete = await failure(update({ GlobalTableBillingMode: 'PROVISIONED', GlobalTableProvisionedWriteCapacityUnits: 3 }, name));
    expect(incomplete.name).toBe('ValidationException');
    await update({
      GlobalTableBillingMode: 'PROVISIONED', GlobalTableProvisionedWriteCapacityUnits: 3,
      ReplicaSettingsUpdate: [{ RegionName: US, ReplicaProvisionedReadCapacityUnits: 4 }, { RegionName: EU, ReplicaProvisionedReadCapacityUnits: 6 }],
    }, name);
    expect((await tableIn(EU, name)).ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 6, WriteCapacityUnits: 3 });
    expect((await tableIn(US, name)).BillingModeSummary).toBeUndefined();
  });

  it('refuses capacity for an on-demand table, a region that is no replica, and a table that is no legacy global table; nothing changes', async () => {
    const name = await globalTable();
    await update({ GlobalTableBillingMode: 'PAY_PER_REQUEST' }, name);
    const units = await failure(update({ GlobalTableProvisionedWriteCapacityUnits: 7 }, name));
    expect(units).toMatchObject({ name: 'ValidationException', message: 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST' });
    const stranger = await failure(update({ GlobalTableBillingMode: 'PAY_PER_REQUEST', ReplicaSettingsUpdate: [{ RegionName: 'ap-southeast-2' }] }, name));
    expect(stranger).toMatchObject({ name: 'ReplicaNotFoundException', message: `Replica not found: Replica in region: 'ap-southeast-2' not found for global table: '${name}'.` });
    const missing = await failure(update({ GlobalTableBillingMode: 'PAY_PER_REQUEST' }, 'no-such-table'));
    expect(missing).toMatchObject({ name: 'GlobalTableNotFoundException', message: "Global table not found: Global table with name: 'no-such-table' does not exist." });
    const zero = await failure(update({ GlobalTableProvisionedWriteCapacityUnits: 0 }, name));
    expect(zero.message).toBe("1 validation error detected: Value '0' at 'globalTableProvisionedWriteCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect((await tableIn(EU, name)).BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });
});
