/**
 * One write of the model-based tests in one region: put, update (SET, ADD, REMOVE) or delete, with
 * an optional condition. Each write carries a fresh tag, so every item names the write that made
 * it. A write is made first (`makeWrite`: the region's stored record before, the call, then the
 * record and a consistent read after) and recorded second (`recordWrite`: the checks, and what the
 * model learns), so writes made at once are recorded only after all of them were made: one
 * region's write can be overtaken by another's that landed before the first was read back.
 */
import { expect } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { compareVersions } from '../../src/core/version.js';
import { DynamoCallError, RegionUnreachableError } from '../../src/scenario/client.js';
import { keyOf, type ModelRegion, type StoredRecord, storedRecord } from './modelRegion.js';
import { canonicalItem, type ModelState, versionText, type WriteSpec } from './simModel.js';
import { checkOwnWrite, noteVersion } from './modelWriteChecks.js';

export function writeRequest(spec: WriteSpec, table: string, pk: string, tag: string): { operation: string; body: Record<string, unknown> } {
  const condition = spec.condition === undefined ? {}
    : { ConditionExpression: spec.condition === 'exists' ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)' };
  if (spec.kind === 'put') return { operation: 'PutItem', body: { TableName: table, Item: { ...keyOf(pk), tag: { S: tag }, a: { S: spec.a } }, ...condition } };
  if (spec.kind === 'delete') return { operation: 'DeleteItem', body: { TableName: table, Key: keyOf(pk), ...condition } };
  const values: Record<string, unknown> = { ':t': { S: tag } };
  let expression = 'SET tag = :t';
  if (spec.variant === 'set') { expression += ', a = :a'; values[':a'] = { S: spec.a }; }
  if (spec.variant === 'add') { expression += ' ADD n :n'; values[':n'] = { N: String(spec.addN) }; }
  if (spec.variant === 'remove') expression += ' REMOVE a';
  return { operation: 'UpdateItem', body: { TableName: table, Key: keyOf(pk), UpdateExpression: expression, ExpressionAttributeValues: values, ...condition } };
}

/** What one write did, as seen from outside: its answer, and the region's state around it. */
export interface MadeWrite {
  region: ModelRegion;
  pk: string;
  spec: WriteSpec;
  tag: string;
  before: StoredRecord | null;
  /** acked: answered 200; refused: its condition was false; uncertain: no answer, or an error that may come after the commit. */
  outcome: 'acked' | 'refused' | 'uncertain';
  /** Read back after an acknowledgement: the stored record and a consistent read of the same state. */
  after?: StoredRecord | null;
  read?: Item | null;
}

/** The most times a read-back is retried while replicated changes keep landing on the key between its two record reads. */
const READ_BACK_TRIES = 50;

/**
 * The stored record and a consistent read that saw the same state: the record read on both sides
 * of the read, until nothing landed in between (a real region applies replicated changes at any
 * moment; a simulated one never between two calls of one turn).
 */
async function readBack(region: ModelRegion, table: string, pk: string): Promise<{ after: StoredRecord | null; read: Item | null }> {
  let first = await storedRecord(region, table, pk);
  for (let tries = 1; ; tries += 1) {
    const { Item: read } = await region.call<{ Item?: Item }>('GetItem', { TableName: table, Key: keyOf(pk), ConsistentRead: true });
    const second = await storedRecord(region, table, pk);
    if (JSON.stringify(second) === JSON.stringify(first)) return { after: second, read: read ?? null };
    expect(tries, `${region.name} ${pk} kept changing while read back`).toBeLessThan(READ_BACK_TRIES);
    first = second;
  }
}

export async function makeWrite(model: ModelState, region: ModelRegion, pk: string, spec: WriteSpec): Promise<MadeWrite> {
  const tag = `t${model.nextTag++}`;
  model.issuedTags.add(tag);
  const before = await storedRecord(region, model.table, pk);
  noteVersion(model, region.name, pk, before, `before ${spec.kind} ${tag}`);
  const { operation, body } = writeRequest(spec, model.table, pk, tag);
  const made = { region, pk, spec, tag, before };
  try {
    await region.call(operation, body);
  } catch (error) {
    if (spec.condition !== undefined && error instanceof DynamoCallError && error.type === 'ConditionalCheckFailedException') return { ...made, outcome: 'refused' };
    if (!(error instanceof DynamoCallError) && !(error instanceof RegionUnreachableError)) throw error;
    return { ...made, outcome: 'uncertain' };
  }
  return { ...made, outcome: 'acked', ...(await readBack(region, model.table, pk)) };
}

/** Whether the write left its own version as the region's record of the key. */
function tookEffect(write: MadeWrite): boolean {
  const { after, before } = write;
  return after !== undefined && after !== null && after.version.region === write.region.name && (before === null || compareVersions(after.version, before.version) > 0);
}

/** Records writes made together: those that took effect first, so the others can be explained by them. */
export function recordWrites(model: ModelState, writes: MadeWrite[]): void {
  for (const write of writes) if (tookEffect(write)) recordWrite(model, write);
  for (const write of writes) if (!tookEffect(write)) recordWrite(model, write);
}

function recordWrite(model: ModelState, write: MadeWrite): void {
  const { region, pk, spec, tag, before } = write;
  if (write.outcome === 'refused') {
    // A refused write changes nothing: its tag is one nobody wrote, and no region may ever hold it.
    model.issuedTags.delete(tag);
    model.conditionFailed += 1;
    return;
  }
  if (write.outcome === 'uncertain') {
    model.uncertainWrites.push({ pk, tag, spec });
    return;
  }
  const after = write.after ?? null;
  noteVersion(model, region.name, pk, after, `after ${spec.kind} ${tag}`);
  if (!tookEffect(write)) {
    expect(canonicalItem(write.read), `read own write: ${region.name} reads what it stores after ${spec.kind} ${tag}, which did not take effect`).toBe(canonicalItem(after?.item));
    classifyIneffective(model, write);
    // At attribute granularity such a write may still have kept some attributes (or raised the
    // floor) under the newer version: what it kept is not known exactly, so the oracle treats it
    // as a write of unknown outcome. One that left the stored state as it was left nothing anywhere.
    if (model.granularity === 'attribute' && JSON.stringify(after) !== JSON.stringify(before)) model.uncertainWrites.push({ pk, tag, spec });
    return;
  }
  checkOwnWrite(model, write, after!);
}

/**
 * Why an acknowledged write is not what its region holds right after: a delete of a key it did not
 * hold stores nothing; a newer acknowledged write from elsewhere was applied while the write
 * committed (concurrent, and it won); or a wall clock stamped the write below what the region
 * already held (it loses at once, as it would everywhere). Anything else breaks read-your-writes.
 */
function classifyIneffective(model: ModelState, { region, spec, tag, before, after }: MadeWrite): void {
  if (spec.kind === 'delete' && (before === null || before.item === null)) return;
  const stored = after ?? null;
  const landedMeanwhile = stored !== null && (before === null || compareVersions(stored.version, before.version) > 0)
    && model.writes.some((w) => w.region !== region.name && compareVersions(w.version, stored.version) === 0);
  if (landedMeanwhile) {
    model.overtaken += 1;
    return;
  }
  expect(region.config.clockMode, `read own write: ${spec.kind} ${tag} in ${region.name} did not take effect (stored ${versionText(stored?.version)}, before ${versionText(before?.version)})`).toBe('wall');
  model.lostAtOnce += 1;
}
