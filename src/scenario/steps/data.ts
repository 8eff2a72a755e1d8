/** Data steps: createTable, put, update, delete, get, query — through the DynamoDB API of one region. */
import { callDynamo, DynamoCallError, marshalItem, unmarshalItem } from '../client.js';
import { allRegions, canonical, regionOf, ScenarioStepError, sleep, type RunContext } from '../context.js';
import { keyText } from '../recorder.js';
import type { StepArgs } from '../schema.js';

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new ScenarioStepError(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export async function createTable(ctx: RunContext, args: StepArgs<'createTable'>): Promise<string> {
  const regions = allRegions(ctx, args.replicas);
  const names = Object.keys(args.key);
  if (names.length < 1 || names.length > 2) throw new ScenarioStepError('key must name one or two attributes (partition key, then sort key)');
  const creator = regionOf(ctx, regions[0]);
  await callDynamo(creator.endpoint, 'CreateTable', {
    TableName: args.table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: names.map((n) => ({ AttributeName: n, AttributeType: args.key[n] })),
    KeySchema: names.map((n, i) => ({ AttributeName: n, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
  });
  await until(async () => (await callDynamo<{ Table: { TableStatus: string } }>(creator.endpoint, 'DescribeTable', { TableName: args.table })).Table.TableStatus === 'ACTIVE', 10_000, `${args.table} ACTIVE`);
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
  const startedAt = Date.now();
  await callDynamo(coordinator.endpoint, 'UpdateTable', { TableName: args.table, ReplicaUpdates: [{ Create: { RegionName: args.region } }] });
  await until(async () => {
    const { Table } = await callDynamo<{ Table: { Replicas?: { RegionName: string; ReplicaStatus: string }[] } }>(coordinator.endpoint, 'DescribeTable', { TableName: args.table });
    return Table.Replicas?.find((r) => r.RegionName === args.region)?.ReplicaStatus === 'ACTIVE';
  }, 120_000, `replica of ${args.table} in ${args.region} ACTIVE`);
  ctx.replicas.set(args.table, [...holders, args.region]);
  return `${args.table} replicated to ${args.region} (backfilled from ${coordinator.name}, ACTIVE after ${Date.now() - startedAt} ms)`;
}

type WriteArgs = StepArgs<'put'> | StepArgs<'update'> | StepArgs<'delete'>;

function updateExpression(args: StepArgs<'update'>): { expression: string; names: Record<string, string>; values: Record<string, unknown> } {
  if (args.expression) return { expression: args.expression, names: {}, values: {} };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses: string[] = [];
  const set = Object.entries(args.set ?? {}).map(([attr, value], i) => { names[`#s${i}`] = attr; values[`:s${i}`] = value; return `#s${i} = :s${i}`; });
  if (set.length) clauses.push(`SET ${set.join(', ')}`);
  const remove = (args.remove ?? []).map((attr, i) => { names[`#r${i}`] = attr; return `#r${i}`; });
  if (remove.length) clauses.push(`REMOVE ${remove.join(', ')}`);
  const add = Object.entries(args.add ?? {}).map(([attr, value], i) => { names[`#a${i}`] = attr; values[`:a${i}`] = value; return `#a${i} :a${i}`; });
  if (add.length) clauses.push(`ADD ${add.join(', ')}`);
  if (!clauses.length) throw new ScenarioStepError('update needs set, remove, add or expression');
  return { expression: clauses.join(' '), names, values };
}

/** put, update, delete: one write in one region, recorded when acknowledged. */
export async function write(ctx: RunContext, kind: 'put' | 'update' | 'delete', args: WriteArgs, step: number): Promise<string> {
  const region = regionOf(ctx, args.region);
  const request: Record<string, unknown> = { TableName: args.table };
  let names = { ...args.names };
  let values = { ...args.values };
  let key: Record<string, unknown>;
  if (kind === 'put') {
    const item = (args as StepArgs<'put'>).item;
    request.Item = marshalItem(item);
    key = Object.fromEntries((ctx.keyNames.get(args.table) ?? []).map((n) => [n, item[n]]));
  } else {
    key = (args as StepArgs<'update'>).key;
    request.Key = marshalItem(key);
  }
  if (kind === 'update') {
    const built = updateExpression(args as StepArgs<'update'>);
    request.UpdateExpression = built.expression;
    names = { ...names, ...built.names };
    values = { ...values, ...built.values };
  }
  if (args.condition) request.ConditionExpression = args.condition;
  if (Object.keys(names).length) request.ExpressionAttributeNames = names;
  if (Object.keys(values).length) request.ExpressionAttributeValues = marshalItem(values);
  const operation = { put: 'PutItem', update: 'UpdateItem', delete: 'DeleteItem' }[kind];
  const sentAtMs = Date.now();
  try {
    await callDynamo(region.endpoint, operation, request, undefined, { timestampMs: args.timestampMs, adminToken: region.adminToken });
  } catch (error) {
    if (!(error instanceof DynamoCallError)) throw error;
    if (args.expectError !== error.type) throw new ScenarioStepError(`${operation} in ${args.region} failed: ${error.message}`);
    ctx.recorder.expectation({ step, what: `${kind} fails with ${args.expectError}`, ok: true, detail: error.message });
    return `${kind} ${keyText(key)} in ${args.region}: ${error.type}, as expected`;
  }
  if (args.expectError) {
    ctx.recorder.expectation({ step, what: `${kind} fails with ${args.expectError}`, ok: false, detail: 'it succeeded' });
  }
  ctx.recorder.writes.push({ table: args.table, key: keyText(key), region: args.region, kind, sentAtMs, ackedAtMs: Date.now(), step });
  ctx.recorder.mayDiverge(step);
  return `${kind} ${keyText(key)} in ${args.region}`;
}

export interface ReadExpectation {
  equals?: Record<string, unknown>;
  has?: Record<string, unknown>;
  absent?: true;
}

/** Checks a read item against an expectation; returns undefined when there is nothing to check. */
export function checkItem(item: Record<string, unknown> | undefined, expected: ReadExpectation): { ok: boolean; detail: string } | undefined {
  const found = item ? canonical(item) : 'absent';
  if (expected.absent) return { ok: !item, detail: `found ${found}` };
  if (expected.equals) return { ok: Boolean(item) && canonical(item) === canonical(expected.equals), detail: `expected ${canonical(expected.equals)}, found ${found}` };
  if (expected.has) {
    const ok = Boolean(item) && Object.entries(expected.has).every(([k, v]) => canonical(item![k]) === canonical(v));
    return { ok, detail: `expected attributes ${canonical(expected.has)}, found ${found}` };
  }
  return undefined;
}

export async function readItem(ctx: RunContext, region: string, table: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const response = await callDynamo<{ Item?: Record<string, never> }>(regionOf(ctx, region).endpoint, 'GetItem', { TableName: table, Key: marshalItem(key), ConsistentRead: true });
  return response.Item ? unmarshalItem(response.Item) : undefined;
}

export async function get(ctx: RunContext, args: StepArgs<'get'>, step: number, line?: number): Promise<string> {
  const item = await readItem(ctx, args.region, args.table, args.key);
  const check = checkItem(item, args);
  if (check) ctx.recorder.expectation({ step, line, what: `get ${keyText(args.key)} in ${args.region}`, ...check });
  return `${keyText(args.key)} in ${args.region}: ${item ? canonical(item) : 'absent'}`;
}

export async function query(ctx: RunContext, args: StepArgs<'query'>, step: number, line?: number): Promise<string> {
  const response = await callDynamo<{ Count: number }>(regionOf(ctx, args.region).endpoint, 'Query', {
    TableName: args.table,
    KeyConditionExpression: args.keyCondition,
    ...(args.names ? { ExpressionAttributeNames: args.names } : {}),
    ExpressionAttributeValues: marshalItem(args.values),
    ConsistentRead: true,
  });
  if (args.expectCount !== undefined) {
    ctx.recorder.expectation({ step, line, what: `query in ${args.region} returns ${args.expectCount}`, ok: response.Count === args.expectCount, detail: `returned ${response.Count}` });
  }
  return `query ${args.table} in ${args.region}: ${response.Count} item(s)`;
}
