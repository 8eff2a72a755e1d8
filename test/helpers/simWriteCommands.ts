/**
 * Write commands of the model-based test: put, update (SET, ADD, REMOVE) and delete in one region.
 * Each write carries a fresh tag, so every item names the write that made it. After the ack the
 * region's stored record and a consistent read are checked at once: it reads its own write, and
 * its stored version of the key never went down.
 */
import type { AsyncCommand } from 'fast-check';
import { expect } from 'vitest';
import type { AttributeValue, Item } from '../../src/core/types.js';
import { compareVersions } from '../../src/core/version.js';
import { DynamoCallError } from '../../src/scenario/client.js';
import { canonicalItem, numberOf, stringOf, type ModelState, type RealCluster, versionText, type WriteSpec } from './simModel.js';
import { keyOf, sleep, storedRecord, TABLE, type RegionName, type SimRegion, type StoredRecord } from './simGlobalTable.js';

export type { UpdateVariant, WriteSpec } from './simModel.js';

function request(spec: WriteSpec, pk: string, tag: string): { operation: string; body: Record<string, unknown> } {
  if (spec.kind === 'put') return { operation: 'PutItem', body: { TableName: TABLE, Item: { ...keyOf(pk), tag: { S: tag }, a: { S: spec.a } } } };
  if (spec.kind === 'delete') return { operation: 'DeleteItem', body: { TableName: TABLE, Key: keyOf(pk) } };
  const values: Record<string, unknown> = { ':t': { S: tag } };
  let expression = 'SET tag = :t';
  if (spec.variant === 'set') { expression += ', a = :a'; values[':a'] = { S: spec.a }; }
  if (spec.variant === 'add') { expression += ' ADD n :n'; values[':n'] = { N: String(spec.addN) }; }
  if (spec.variant === 'remove') expression += ' REMOVE a';
  return { operation: 'UpdateItem', body: { TableName: TABLE, Key: keyOf(pk), UpdateExpression: expression, ExpressionAttributeValues: values } };
}

/**
 * Whether the item a write left is what the write says (an update's other attributes come from
 * before it). `aMayDiffer`: at attribute granularity an update that found `a` already as it would
 * leave it (SET to the same value, REMOVE of an absent one) does not touch it, so an older
 * concurrent write merged in just after may change it, as it would in every region.
 */
function showsWrite(spec: WriteSpec, pk: string, tag: string, item: Item | null, aMayDiffer: boolean): boolean {
  if (spec.kind === 'delete') return item === null;
  if (!item || stringOf(item.pk) !== pk || stringOf(item.tag) !== tag) return false;
  if (spec.kind === 'put') return canonicalItem(item) === canonicalItem({ ...keyOf(pk), tag: { S: tag }, a: { S: spec.a } });
  if (spec.variant === 'set') return aMayDiffer || stringOf(item.a) === spec.a;
  if (spec.variant === 'remove') return aMayDiffer || item.a === undefined;
  return numberOf(item.n) !== undefined;
}

/** An update of `a` that had nothing to change in it when the region was last read, and did not touch it. */
function leftAUntouched(spec: WriteSpec, before: StoredRecord | null, touched: Record<string, AttributeValue | null> | undefined): boolean {
  if (touched === undefined || Object.hasOwn(touched, 'a') || spec.kind !== 'update') return false;
  const held = before?.item?.a;
  return spec.variant === 'set' ? stringOf(held) === spec.a : spec.variant === 'remove' && held === undefined;
}

/**
 * Records the version the region stores for pk and checks it never went down (invariant 5): a record
 * disappears only as a purged tombstone, and whatever is stored after it is newer than the delete.
 */
function noteVersion(model: ModelState, region: RegionName, pk: string, record: StoredRecord | null, when: string): void {
  const slot = `${region}|${pk}`;
  const previous = model.highestSeen.get(slot);
  if (!record) {
    // Purged: the last record seen was a tombstone, or a delete newer than it was acknowledged (its tombstone arrived unseen).
    const purged = model.tombstoneSeen.has(slot) || model.writes.some((w) => w.pk === pk && w.kind === 'delete' && compareVersions(w.version, previous ?? w.version) > 0);
    if (previous) expect(purged, `stored version never decreases: ${region} held ${pk} at ${versionText(previous)}, no newer delete, then nothing (${when})`).toBe(true);
    return;
  }
  if (previous) {
    expect(compareVersions(record.version, previous), `stored version never decreases: ${region} ${pk} went from ${versionText(previous)} to ${versionText(record.version)} (${when})`).toBeGreaterThanOrEqual(0);
  }
  model.highestSeen.set(slot, record.version);
  if (record.item === null) model.tombstoneSeen.add(slot);
  else model.tombstoneSeen.delete(slot);
}

/**
 * Why an acknowledged write is not what its region holds right after: a delete of a key it did not
 * hold stores nothing; a newer acknowledged write from elsewhere was applied while the write
 * committed (concurrent, and it won); or a wall clock stamped the write below what the region
 * already held (it loses at once, as it would everywhere). Anything else breaks read-your-writes.
 */
function classifyIneffective(model: ModelState, region: SimRegion, spec: WriteSpec, tag: string, before: StoredRecord | null, after: StoredRecord | null): void {
  if (spec.kind === 'delete' && (before === null || before.item === null)) return;
  const landedMeanwhile = after !== null && (before === null || compareVersions(after.version, before.version) > 0)
    && model.writes.some((w) => w.region !== region.name && compareVersions(w.version, after.version) === 0);
  if (landedMeanwhile) {
    model.overtaken += 1;
    return;
  }
  expect(region.config.clockMode, `read own write: ${spec.kind} ${tag} in ${region.name} did not take effect (stored ${versionText(after?.version)}, before ${versionText(before?.version)})`).toBe('wall');
  model.lostAtOnce += 1;
}

async function writeInRegion(model: ModelState, region: SimRegion, name: RegionName, pk: string, spec: WriteSpec): Promise<void> {
  const tag = `t${model.nextTag++}`;
  model.issuedTags.add(tag);
  const before = await storedRecord(region, pk);
  noteVersion(model, name, pk, before, `before ${spec.kind} ${tag}`);
  const { operation, body } = request(spec, pk, tag);
  try {
    await region.call(operation, body);
  } catch (error) {
    if (!(error instanceof DynamoCallError)) throw error;
    model.uncertainWrites.push({ pk, tag, spec });
    return;
  }
  const after = await storedRecord(region, pk);
  noteVersion(model, name, pk, after, `after ${spec.kind} ${tag}`);
  const read = await region.call<{ Item?: Item }>('GetItem', { TableName: TABLE, Key: keyOf(pk), ConsistentRead: true });
  const tookEffect = after !== null && after.version.region === name && (before === null || compareVersions(after.version, before.version) > 0);
  if (!tookEffect) {
    expect(canonicalItem(read.Item), `read own write: ${name} reads what it stores after ${spec.kind} ${tag}, which did not take effect`).toBe(canonicalItem(after?.item));
    classifyIneffective(model, region, spec, tag, before, after);
    // At attribute granularity such a write may still have kept some attributes (or raised the
    // floor) under the newer version: what it kept is not known exactly, so the oracle treats it
    // as a write of unknown outcome. One that left the stored state as it was left nothing anywhere.
    if (model.granularity === 'attribute' && JSON.stringify(after) !== JSON.stringify(before)) model.uncertainWrites.push({ pk, tag, spec });
    return;
  }
  const touched = model.granularity === 'attribute' ? touchedBy(after, `${spec.kind} ${tag} in ${name}`) : undefined;
  const aMayDiffer = leftAUntouched(spec, before, touched);
  expect(showsWrite(spec, pk, tag, read.Item ?? null, aMayDiffer), `read own write: ${name} read ${canonicalItem(read.Item)} right after acknowledging ${spec.kind} ${tag} of ${pk}`).toBe(true);
  expect(canonicalItem(read.Item), `read own write: ${name}'s consistent read matches its stored record`).toBe(canonicalItem(after.item));
  model.writes.push({ region: name, pk, tag, kind: spec.kind, version: after.version, item: after.item, ...(touched ? { touched } : {}) });
}

/**
 * The attributes the write of the record's version touched, from the region's own bookkeeping:
 * which ones it changed depends on what the region held when it committed, which the test cannot
 * see from outside without a race (a replicated change can land between a read and the write).
 */
function touchedBy(record: StoredRecord, what: string): Record<string, AttributeValue | null> {
  const attributes = record.attributes;
  expect(attributes, `attribute granularity: the record ${what} left carries attribute versions`).toBeDefined();
  const touched: Record<string, AttributeValue | null> = {};
  for (const [name, version] of Object.entries(attributes!.versions)) {
    if (compareVersions(version, record.version) === 0) touched[name] = Object.hasOwn(attributes!.values, name) ? attributes!.values[name] : null;
  }
  return touched;
}

export class WriteCommand implements AsyncCommand<ModelState, RealCluster> {
  constructor(readonly region: RegionName, readonly pk: string, readonly spec: WriteSpec) {}

  check(model: Readonly<ModelState>): boolean {
    return !model.down.has(this.region);
  }

  async run(model: ModelState, real: RealCluster): Promise<void> {
    await real.cluster.run(writeInRegion(model, real.cluster.region(this.region), this.region, this.pk, this.spec));
  }

  toString(): string {
    const detail = this.spec.kind === 'put' ? ` a=${this.spec.a}` : this.spec.kind === 'update' ? ` ${this.spec.variant}` : '';
    return `${this.spec.kind}(${this.region}, ${this.pk}${detail})`;
  }
}

/**
 * The same key written in two regions at the same virtual instant: neither has seen the other,
 * so last-writer-wins has to decide between them (at attribute granularity, per attribute).
 */
export class ConcurrentWritesCommand implements AsyncCommand<ModelState, RealCluster> {
  constructor(readonly regions: [RegionName, RegionName], readonly pk: string, readonly specs: [WriteSpec, WriteSpec]) {}

  check(model: Readonly<ModelState>): boolean {
    return this.regions.every((region) => !model.down.has(region));
  }

  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    await cluster.run(Promise.all(this.regions.map((name, index) => writeInRegion(model, cluster.region(name), name, this.pk, this.specs[index]))).then(() => {}));
  }

  toString(): string {
    return `concurrently(${this.regions.map((region, index) => `${specText(this.specs[index])} in ${region}`).join(', ')}, ${this.pk})`;
  }
}

function specText(spec: WriteSpec): string {
  return spec.kind === 'put' ? `put a=${spec.a}` : spec.kind === 'update' ? `update ${spec.variant}` : 'delete';
}

/**
 * A write whose region crashes before it can answer: synchronously after the call began, or a
 * millisecond or two of virtual time later (around its group commit). Never acknowledged, its
 * outcome is unknown, so the oracle says nothing about its key in this history.
 */
export class CrashDuringWriteCommand implements AsyncCommand<ModelState, RealCluster> {
  constructor(readonly region: RegionName, readonly pk: string, readonly spec: WriteSpec, readonly crashAfterMs: number | undefined) {}

  check(model: Readonly<ModelState>): boolean {
    return !model.down.has(this.region);
  }

  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    const region = cluster.region(this.region);
    const tag = `t${model.nextTag++}`;
    model.issuedTags.add(tag);
    model.uncertainWrites.push({ pk: this.pk, tag, spec: this.spec });
    const { operation, body } = request(this.spec, this.pk, tag);
    await cluster.run((async () => {
      // Whatever the call answers (if it ever does) is not an acknowledgement the test saw.
      region.call(operation, body).catch(() => {});
      if (this.crashAfterMs === undefined) region.crash();
      else cluster.scheduler.schedule(this.crashAfterMs, () => region.crash());
      await sleep(cluster, (this.crashAfterMs ?? 0) + 1);
    })());
    model.down.add(this.region);
    model.crashes += 1;
  }

  toString(): string {
    return `crashDuring(${this.spec.kind}, ${this.region}, ${this.pk}, ${this.crashAfterMs === undefined ? 'at once' : `after ${this.crashAfterMs} ms`})`;
  }
}
