import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeGlobalTableSettingsCommand } from '@aws-sdk/client-dynamodb';
import { createProvisionedLegacyGlobalTable, createStreamTable, startCluster, type TestCluster } from '../helpers/cluster.js';
import { failure, uniqueTableName } from '../helpers/region.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(['us-east-1', 'eu-west-1']); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

const US = 'us-east-1';
const EU = 'eu-west-1';

/** A legacy global table of US and EU, provisioned with 5 read and 5 write units in each. */
const globalTable = (): Promise<string> => createProvisionedLegacyGlobalTable(cluster, [US, EU]);

describe('DescribeGlobalTableSettings', () => {
  it('reports each replica: status, billing mode, provisioned capacity, auto scaling off', async () => {
    const name = await globalTable();
    const answer = await cluster.byName(EU).client.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: name }));
    const replica = (RegionName: string) => ({
      RegionName, ReplicaStatus: 'ACTIVE',
      ReplicaBillingModeSummary: { BillingMode: 'PROVISIONED' },
      ReplicaProvisionedReadCapacityUnits: 5, ReplicaProvisionedReadCapacityAutoScalingSettings: { AutoScalingDisabled: true },
      ReplicaProvisionedWriteCapacityUnits: 5, ReplicaProvisionedWriteCapacityAutoScalingSettings: { AutoScalingDisabled: true },
      ReplicaGlobalSecondaryIndexSettings: [],
    });
    expect({ GlobalTableName: answer.GlobalTableName, ReplicaSettings: answer.ReplicaSettings }).toEqual({ GlobalTableName: name, ReplicaSettings: [replica(EU), replica(US)] });
  });

  it('answers GlobalTableNotFoundException for a regional table', async () => {
    const name = uniqueTableName('regional');
    await createStreamTable(cluster.byName(US).client, name);
    const error = await failure(cluster.byName(US).client.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: name })));
    expect(error).toMatchObject({ name: 'GlobalTableNotFoundException', message: `Global table not found: Global table with name: '${name}' does not exist.` });
  });
});
