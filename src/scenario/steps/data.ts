/** Data steps: put, update, delete, get, query — through the DynamoDB API of one region. */
import { DynamoCallError, marshalItem, unmarshalItem } from '../client.js';
import { canonical, observe, regionOf, ScenarioStepError, type RunContext } from '../context.js';
import { keyText } from '../recorder.js';
import type { StepArgs } from '../schema.js';

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

type WriteKind = 'put' | 'update' | 'delete';
/** What a write says of itself wherever it is sent (a single write, or an action of a transaction). */
type WriteBody = Pick<WriteArgs, 'table' | 'condition' | 'names' | 'values'> & Partial<Pick<StepArgs<'update'>, 'set' | 'remove' | 'add' | 'expression'>>
  & { item?: Record<string, unknown>; key?: Record<string, unknown> };

/** The request of a put, update or delete (PutItem's, UpdateItem's, DeleteItem's), and the key it writes. */
export function writeRequest(ctx: RunContext, kind: WriteKind, args: WriteBody): { request: Record<string, unknown>; key: Record<string, unknown> } {
  const request: Record<string, unknown> = { TableName: args.table };
  let names = { ...args.names };
  let values = { ...args.values };
  let key: Record<string, unknown>;
  if (kind === 'put') {
    const item = args.item!;
    request.Item = marshalItem(item);
    key = Object.fromEntries((ctx.keyNames.get(args.table) ?? []).map((n) => [n, item[n]]));
  } else {
    key = args.key!;
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
  return { request, key };
}

/** put, update, delete: one write in one region, recorded when acknowledged. */
export async function write(ctx: RunContext, kind: WriteKind, args: WriteArgs, step: number): Promise<string> {
  const region = regionOf(ctx, args.region);
  const { request, key } = writeRequest(ctx, kind, args as WriteBody);
  const operation = { put: 'PutItem', update: 'UpdateItem', delete: 'DeleteItem' }[kind];
  const sentAtMs = ctx.targets.nowMs();
  try {
    await region.call(operation, request, args.timestampMs !== undefined ? { timestampMs: args.timestampMs } : {});
  } catch (error) {
    if (!(error instanceof DynamoCallError)) throw error;
    observe(ctx, `${kind} ${args.table} ${keyText(key)} in ${args.region}: ${error.type}`);
    if (args.expectError !== error.type) throw new ScenarioStepError(`${operation} in ${args.region} failed: ${error.message}`);
    ctx.recorder.expectation({ step, what: `${kind} fails with ${args.expectError}`, ok: true, detail: error.message });
    return `${kind} ${keyText(key)} in ${args.region}: ${error.type}, as expected`;
  }
  if (args.expectError) {
    ctx.recorder.expectation({ step, what: `${kind} fails with ${args.expectError}`, ok: false, detail: 'it succeeded' });
  }
  observe(ctx, `${kind} ${args.table} ${keyText(key)} in ${args.region}: acknowledged`);
  ctx.recorder.writes.push({ table: args.table, key: keyText(key), region: args.region, kind, sentAtMs, ackedAtMs: ctx.targets.nowMs(), step });
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
  const response = await regionOf(ctx, region).call<{ Item?: Record<string, never> }>('GetItem', { TableName: table, Key: marshalItem(key), ConsistentRead: true });
  const item = response.Item ? unmarshalItem(response.Item) : undefined;
  observe(ctx, `get ${table} ${keyText(key)} in ${region}: ${item ? canonical(item) : 'absent'}`);
  return item;
}

export async function get(ctx: RunContext, args: StepArgs<'get'>, step: number, line?: number): Promise<string> {
  const item = await readItem(ctx, args.region, args.table, args.key);
  const check = checkItem(item, args);
  if (check) ctx.recorder.expectation({ step, line, what: `get ${keyText(args.key)} in ${args.region}`, ...check });
  return `${keyText(args.key)} in ${args.region}: ${item ? canonical(item) : 'absent'}`;
}

export async function query(ctx: RunContext, args: StepArgs<'query'>, step: number, line?: number): Promise<string> {
  const response = await regionOf(ctx, args.region).call<{ Count: number; Items?: Record<string, never>[] }>('Query', {
    TableName: args.table,
    KeyConditionExpression: args.keyCondition,
    ...(args.names ? { ExpressionAttributeNames: args.names } : {}),
    ExpressionAttributeValues: marshalItem(args.values),
    ConsistentRead: true,
  });
  observe(ctx, `query ${args.table} ${args.keyCondition} ${canonical(args.values)} in ${args.region}: ${canonical((response.Items ?? []).map(unmarshalItem))}`);
  if (args.expectCount !== undefined) {
    ctx.recorder.expectation({ step, line, what: `query in ${args.region} returns ${args.expectCount}`, ok: response.Count === args.expectCount, detail: `returned ${response.Count}` });
  }
  return `query ${args.table} in ${args.region}: ${response.Count} item(s)`;
}
