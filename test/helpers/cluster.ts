/** A cluster of real regions in this process (each with its own LMDB, nats-server and HTTP port), peers of each other. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateGlobalTableCommand, CreateTableCommand, DescribeTableCommand, UpdateTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startRegion, type RegionOptions, type RunningRegion } from '../../src/region/region.js';
import { clientFor, uniqueTableName } from './region.js';
import { freePort } from './ports.js';

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

export interface ClusterRegion {
  name: string;
  region: RunningRegion;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

export interface TestCluster {
  regions: ClusterRegion[];
  byName(name: string): ClusterRegion;
  admin<T = unknown>(name: string, path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  stop(): Promise<void>;
}

/** `perRegion`: options for one region only (a store of its own, say). */
export async function startCluster(names = REGIONS, options: Partial<RegionOptions> = {}, perRegion: (name: string) => Partial<RegionOptions> = () => ({})): Promise<TestCluster> {
  const root = await mkdtemp(join(tmpdir(), 'globaltables-cluster-'));
  const ports = await Promise.all(names.map(() => freePort()));
  const endpoint = (i: number): string => `http://127.0.0.1:${ports[i]}`;
  const started = await Promise.allSettled(names.map(async (name, i) => {
    const region = await startRegion({
      name,
      port: ports[i],
      dataDir: join(root, name),
      changeStream: {},
      peers: names.map((peer, j) => ({ name: peer, endpoint: endpoint(j) })).filter((p) => p.name !== name),
      log: () => undefined,
      ...options,
      ...perRegion(name),
    });
    const client = clientFor(region.endpoint, name);
    return { name, region, client, doc: DynamoDBDocumentClient.from(client) };
  }));
  const regions = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const byName = (name: string): ClusterRegion => regions.find((r) => r.name === name)!;
  const cluster: TestCluster = {
    regions,
    byName,
    async admin<T>(name: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
      const response = await fetch(`${byName(name).region.endpoint}${path}`, {
        method: init.method ?? 'GET',
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<T>;
    },
    async stop() {
      for (const r of regions) r.client.destroy();
      await Promise.all(regions.map((r) => r.region.close()));
      await rm(root, { recursive: true, force: true });
    },
  };
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    // The regions that did start would otherwise outlive the test, with their nats-servers.
    await cluster.stop();
    throw failure.reason;
  }
  return cluster;
}

/** Polls until check passes (returns truthy) or the time is up; then fails with the last state. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface NamedClient {
  name: string;
  client: DynamoDBClient;
}

/** Creates a table in the first region and adds every other region as a replica; waits until all are ACTIVE. */
export async function createGlobalTable(cluster: { regions: NamedClient[] }, table: string, rangeKey?: string): Promise<void> {
  const [first, ...others] = cluster.regions;
  await first.client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(rangeKey ? [{ AttributeName: rangeKey, AttributeType: 'S' as const }] : [])],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(rangeKey ? [{ AttributeName: rangeKey, KeyType: 'RANGE' as const }] : [])],
  }));
  await eventually(async () => (await first.client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus === 'ACTIVE', 10_000, 'table ACTIVE');
  for (const other of others) await addReplica(first, table, other.name);
  await eventually(async () => {
    for (const r of cluster.regions) {
      const { Table } = await r.client.send(new DescribeTableCommand({ TableName: table }));
      if (Table?.TableStatus !== 'ACTIVE' || Table.Replicas?.length !== cluster.regions.length - 1) return false;
      if (Table.Replicas.some((x) => x.ReplicaStatus !== 'ACTIVE')) return false;
    }
    return true;
  }, 20_000, 'every replica ACTIVE everywhere');
}

/** Adds a replica through UpdateTable ReplicaUpdates and waits until the coordinator reports it ACTIVE. */
export async function addReplica(coordinator: NamedClient, table: string, region: string): Promise<void> {
  await coordinator.client.send(new UpdateTableCommand({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: region } }] }));
  await eventually(async () => {
    const { Table } = await coordinator.client.send(new DescribeTableCommand({ TableName: table }));
    return Table?.Replicas?.find((r) => r.RegionName === region)?.ReplicaStatus === 'ACTIVE';
  }, 60_000, `replica ${region} ACTIVE`);
}

/** Every key of a table, read with paginated Scans. */
export async function allKeys(doc: DynamoDBDocumentClient, table: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) keys.add(String(item.pk));
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
}

/** Waits until every region reports the same digest of the named table. */
export async function waitConverged(regions: { name: string; admin<T>(path: string): Promise<T> }[], table: string, timeoutMs = 30_000): Promise<string> {
  return eventually(async () => {
    const digests = await Promise.all(regions.map((r) => r.admin<{ tables: Record<string, { digest: string }> }>(`/admin/digest?table=${table}`)));
    const values = new Set(digests.map((d) => d.tables[table]?.digest));
    return values.size === 1 && [...values][0] ? [...values][0] : undefined;
  }, timeoutMs, `${table} converged in ${regions.map((r) => r.name).join(', ')}`);
}

/** An empty table keyed by `pk`, with the NEW_AND_OLD_IMAGES stream a legacy global table needs. */
export async function createStreamTable(client: DynamoDBClient, name: string, overrides: Partial<CreateTableCommandInput> = {}): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    ...overrides,
  }));
}

/** A legacy (2017.11.29) global table over `regions`, provisioned with 5 read and 5 write units in each. */
export async function createProvisionedLegacyGlobalTable(cluster: TestCluster, regions: string[]): Promise<string> {
  const name = uniqueTableName('settings');
  const provisioned = { BillingMode: 'PROVISIONED' as const, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } };
  for (const region of regions) await createStreamTable(cluster.byName(region).client, name, provisioned);
  await cluster.byName(regions[0]).client.send(new CreateGlobalTableCommand({ GlobalTableName: name, ReplicationGroup: regions.map((RegionName) => ({ RegionName })) }));
  return name;
}
