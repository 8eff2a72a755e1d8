/**
 * Checks made on every write of the model-based tests as it is recorded: the region reads its own
 * acknowledged write (invariant 4), and the version it stores for a key never goes down
 * (invariant 5). A write that took effect joins the model's acknowledged writes with its version
 * (and, at attribute granularity, the attributes it touched).
 */
import { expect } from 'vitest';
import type { AttributeValue, Item } from '../../src/core/types.js';
import { compareVersions } from '../../src/core/version.js';
import { keyOf, type StoredRecord } from './modelRegion.js';
import type { MadeWrite } from './modelWrites.js';
import { canonicalItem, type ModelState, numberOf, stringOf, versionText, type WriteSpec } from './simModel.js';

/** Records the version the region stores for pk and checks it never went down (invariant 5). */
export function noteVersion(model: ModelState, region: string, pk: string, record: StoredRecord | null, when: string): void {
  const slot = `${region}|${pk}`;
  const previous = model.highestSeen.get(slot);
  if (!record) {
    // Purged: the last record seen was a tombstone, or a delete newer than it was acknowledged (its
    // tombstone arrived unseen), or a delete of unknown outcome may have been.
    const purged = model.tombstoneSeen.has(slot)
      || model.writes.some((w) => w.pk === pk && w.kind === 'delete' && compareVersions(w.version, previous ?? w.version) > 0)
      || model.uncertainWrites.some((w) => w.pk === pk && w.spec.kind === 'delete');
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

/** A write that took effect: its region read it back right after the acknowledgement; it joins the acknowledged writes. */
export function checkOwnWrite(model: ModelState, { region, pk, spec, tag, before, read }: MadeWrite, after: StoredRecord): void {
  const name = region.name;
  const touched = model.granularity === 'attribute' ? touchedBy(after, `${spec.kind} ${tag} in ${name}`) : undefined;
  const aMayDiffer = leftAUntouched(spec, before, touched);
  expect(showsWrite(spec, pk, tag, read ?? null, aMayDiffer), `read own write: ${name} read ${canonicalItem(read)} right after acknowledging ${spec.kind} ${tag} of ${pk}`).toBe(true);
  expect(canonicalItem(read), `read own write: ${name}'s consistent read matches its stored record`).toBe(canonicalItem(after.item));
  model.writes.push({
    region: name, pk, tag, kind: spec.kind, version: after.version, item: after.item,
    ...(after.prevVersion ? { prevVersion: after.prevVersion } : {}), ...(touched ? { touched } : {}),
  });
}
