/**
 * Table steps: createTable, addReplica, removeReplica, enableTtl. Membership changes are asynchronous
 * in DynamoDB (the table reports UPDATING while the coordinator works), so each step waits, on the
 * scenario's clock, until the coordinating region reports the change done.
 */
import { DynamoCallError } from '../client.js';
import { allRegions, regionOf, ScenarioStepError, type RunContext } from '../context.js';
import type { StepArgs } from '../schema.js';
import type { ScenarioRegionHandle } from '../targets.js';

/** How long a replica may take to be created or dropped: the coordinator retries an unreachable region for about a minute. */
const REPLICA_WAIT_MS = 120_000;
const POLL_MS = 50;

async function until(ctx: RunContext, check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = ctx.targets.nowMs() + timeoutMs;
  while (!(await check())) {
    if (ctx.targets.nowMs() > deadline) throw new ScenarioStepError(`${what} did not happen within ${timeoutMs} ms`);
    await ctx.targets.sleep(POLL_MS);
  }
}

interface TableDescription {
  TableStatus: string;
  Replicas?: { RegionName: string; ReplicaStatus: string }[];
}

/** The region's description of the table, or undefined when it has none (ResourceNotFoundException). */
async function describeTable(region: ScenarioRegionHandle, table: string): Promise<TableDescription | undefined> {
  try {
    return (await region.call<{ Table: TableDescription }>('DescribeTable', { TableName: table })).Table;
  } catch (error) {
    if (error instanceof DynamoCallError && error.type === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** The replica's status as the coordinator lists it (undefined: not listed). */
async function replicaStatus(coordinator: ScenarioRegionHandle, table: string, region: string): Promise<string | undefined> {
  return (await describeTable(coordinator, table))?.Replicas?.find((r) => r.RegionName === region)?.ReplicaStatus;
}

export async function createTable(ctx: RunContext, args: StepArgs<'createTable'>): Promise<string> {
  const regions = allRegions(ctx, args.replicas);
  const names = Object.keys(args.key);
  if (names.length < 1 || names.length > 2) throw new ScenarioStepError('key must name one or two attributes (partition key, then sort key)');
  const creator = regionOf(ctx, regions[0]);
  await creator.call('CreateTable', {
    TableName: args.table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: names.map((n) => ({ AttributeName: n, AttributeType: args.key[n] })),
    KeySchema: names.map((n, i) => ({ AttributeName: n, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
  });
  await until(ctx, async () => (await describeTable(creator, args.table))?.TableStatus === 'ACTIVE', 10_000, `${args.table} ACTIVE`);
  ctx.keyNames.set(args.table, names);
  ctx.replicas.set(args.table, [regions[0]]);
  ctx.recorder.tables.add(args.table);
  for (const region of regions.slice(1)) await addReplica(ctx, { table: args.table, region, from: regions[0] });
  return `${args.table} (${names.join(', ')}) in ${regions.join(', ')}`;
}

/** UpdateTable ReplicaUpdates Create in the coordinating region; waits until it reports the replica ACTIVE. */
export async function addReplica(ctx: RunContext, args: StepArgs<'addReplica'>): Promise<string> {
  const holders = ctx.replicas.get(args.table) ?? [];
  if (holders.includes(args.region)) throw new ScenarioStepError(`${args.region} already holds ${args.table}`);
  const coordinator = regionOf(ctx, args.from ?? holders[0]);
  const startedAt = ctx.targets.nowMs();
  await coordinator.call('UpdateTable', { TableName: args.table, ReplicaUpdates: [{ Create: { RegionName: args.region } }] });
  await until(ctx, async () => (await replicaStatus(coordinator, args.table, args.region)) === 'ACTIVE', REPLICA_WAIT_MS, `replica of ${args.table} in ${args.region} ACTIVE`);
  ctx.replicas.set(args.table, [...holders, args.region]);
  return `${args.table} replicated to ${args.region} (backfilled from ${coordinator.name}, ACTIVE after ${ctx.targets.nowMs() - startedAt} ms)`;
}

/**
 * UpdateTable ReplicaUpdates Delete in the coordinating region (DynamoDB refuses it from the region
 * being removed); waits until the coordinator no longer lists the replica and the removed region no
 * longer has the table. The removed region must be running: it is the one that drops its table.
 */
export async function removeReplica(ctx: RunContext, args: StepArgs<'removeReplica'>): Promise<string> {
  const holders = ctx.replicas.get(args.table) ?? [];
  if (!holders.includes(args.region)) throw new ScenarioStepError(`${args.region} holds no replica of ${args.table}`);
  const coordinatorName = args.from ?? holders.find((r) => r !== args.region);
  if (!coordinatorName) throw new ScenarioStepError(`${args.region} holds the only replica of ${args.table}: no other replica can remove it`);
  const coordinator = regionOf(ctx, coordinatorName);
  const removed = regionOf(ctx, args.region);
  const startedAt = ctx.targets.nowMs();
  await coordinator.call('UpdateTable', { TableName: args.table, ReplicaUpdates: [{ Delete: { RegionName: args.region } }] });
  await until(ctx, async () => (await replicaStatus(coordinator, args.table, args.region)) === undefined
    && (await describeTable(removed, args.table)) === undefined, REPLICA_WAIT_MS, `replica of ${args.table} in ${args.region} removed`);
  ctx.replicas.set(args.table, holders.filter((r) => r !== args.region));
  return `${args.table} no longer replicated to ${args.region} (removed through ${coordinator.name}, its table gone after ${ctx.targets.nowMs() - startedAt} ms)`;
}

/**
 * UpdateTimeToLive in every replica (DynamoDB replicates a TTL change to the other replicas; a
 * region here keeps its own setting, so the step asks each), or only in `region`. A replica that
 * already expires items by this attribute copied the setting when it was created, and is left alone.
 */
export async function enableTtl(ctx: RunContext, args: StepArgs<'enableTtl'>, step: number): Promise<string> {
  const regions = args.region ? [args.region] : ctx.replicas.get(args.table) ?? [];
  const enabled: string[] = [];
  for (const name of regions) {
    const region = regionOf(ctx, name);
    const { TimeToLiveDescription: current } = await region.call<{ TimeToLiveDescription: { TimeToLiveStatus: string; AttributeName?: string } }>('DescribeTimeToLive', { TableName: args.table });
    if (current.TimeToLiveStatus === 'ENABLED' && current.AttributeName === args.attribute) continue;
    await region.call('UpdateTimeToLive', { TableName: args.table, TimeToLiveSpecification: { Enabled: true, AttributeName: args.attribute } });
    enabled.push(name);
  }
  // Expired items are deleted from now on: a service write, which may make replicas differ for a while.
  ctx.recorder.mayDiverge(step);
  const already = regions.filter((r) => !enabled.includes(r));
  return `${args.table} expires items by ${args.attribute} in ${enabled.join(', ') || 'no region'}${already.length ? ` (already in ${already.join(', ')})` : ''}`;
}
