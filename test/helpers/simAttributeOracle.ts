/**
 * The last-writer-wins oracle at attribute granularity (the rule of src/core/lwwAttributes.ts).
 *
 * From the acknowledged writes of a key, whose versions and touched attributes are known exactly:
 * - the floor is the largest version of a put or delete: every attribute older is gone;
 * - the item exists iff the write of the largest version is a put or an update (live >= floor:
 *   live is the latest put or update, the floor the latest put or delete);
 * - each attribute is decided by the write of the largest version not below the floor that touched
 *   it (set: that value; removed: absent); none: absent.
 *
 * Writes of unknown outcome (never acknowledged, or acknowledged but lost in part to a newer
 * version at once) may or may not have happened, with any version. The check stays sound by
 * accepting either outcome, one register at a time: existence may also be what such a write
 * leaves (present after a put or update, absent after a delete), and each attribute may also be
 * what such a write could have left in it (its value, absent when it removes the attribute or is
 * a put without it or a delete, and any number for an ADD, whose sum depends on what it read).
 * If the decisive write of a register is a known one, it is the known writes' winner: a larger
 * known write touching the same register would decide it instead.
 */
import { expect } from 'vitest';
import type { AttributeValue, Item } from '../../src/core/types.js';
import { compareVersions } from '../../src/core/version.js';
import { keyOf } from './modelRegion.js';
import { type AckedWrite, canonicalItem, type ModelState, type UncertainWrite } from './simModel.js';

/** The item the acknowledged writes of pk leave, applied in version order above the floor. */
export function attributeWinner(model: ModelState, pk: string): Item | null {
  const writes = model.writes.filter((w) => w.pk === pk).sort((a, b) => compareVersions(a.version, b.version));
  const latest = writes.at(-1);
  if (!latest || latest.kind === 'delete') return null;
  let floorIndex = 0;
  writes.forEach((write, index) => { if (write.kind !== 'update') floorIndex = index; });
  const item: Item = keyOf(pk);
  for (const write of writes.slice(floorIndex)) {
    for (const [name, value] of Object.entries(write.touched ?? {})) {
      if (value === null) delete item[name];
      else item[name] = value;
    }
  }
  return item;
}

const ABSENT = 'absent';

function valueText(value: AttributeValue | undefined): string {
  return value === undefined ? ABSENT : JSON.stringify(value);
}

/** What an unknown-outcome write could leave in one attribute: value texts, or 'any number'. */
function couldLeave(write: UncertainWrite, name: string): string[] {
  const { spec, tag } = write;
  if (spec.kind === 'delete') return [ABSENT];
  if (name === 'tag') return [valueText({ S: tag })];
  if (spec.kind === 'put') return [name === 'a' ? valueText({ S: spec.a }) : ABSENT];
  if (name === 'a' && spec.variant === 'set') return [valueText({ S: spec.a })];
  if (name === 'a' && spec.variant === 'remove') return [ABSENT];
  if (name === 'n' && spec.variant === 'add') return ['any number'];
  return [];
}

function allowed(value: AttributeValue | undefined, choices: Set<string>): boolean {
  return choices.has(valueText(value)) || (value !== undefined && 'N' in value && choices.has('any number'));
}

/** Checks a region's final item of pk against the oracle (invariant 2 at attribute granularity). */
export function checkAttributeOracle(model: ModelState, region: string, pk: string, item: Item | null): void {
  const winner = attributeWinner(model, pk);
  const uncertain = model.uncertainWrites.filter((w) => w.pk === pk);
  const where = `${region} ${pk} = ${canonicalItem(item)}, known writes leave ${canonicalItem(winner)}`
    + (uncertain.length > 0 ? `, unknown-outcome writes ${uncertain.map((w) => `${w.spec.kind} ${w.tag}`).join(' ')}` : '');
  const existence = new Set([winner !== null, ...uncertain.map((w) => w.spec.kind !== 'delete')]);
  expect(existence.has(item !== null), `last writer wins per attribute: existence (${where})`).toBe(true);
  if (item === null) return;
  const names = new Set([...Object.keys(item), ...Object.keys(winner ?? {})]);
  names.delete('pk');
  for (const name of names) {
    const choices = new Set([valueText(winner?.[name]), ...uncertain.flatMap((w) => couldLeave(w, name))]);
    expect(allowed(item[name], choices), `last writer wins per attribute: ${name} (${where})`).toBe(true);
  }
}

/** Invariant 3 at attribute granularity: every attribute value is one some write of pk set (or could have). */
export function checkAttributesWritten(model: ModelState, region: string, pk: string, item: Item): void {
  const known = model.writes.filter((w: AckedWrite) => w.pk === pk);
  const uncertain = model.uncertainWrites.filter((w) => w.pk === pk);
  for (const [name, value] of Object.entries(item)) {
    if (name === 'pk') continue;
    const text = valueText(value);
    const written = known.some((w) => w.touched?.[name] !== undefined && valueText(w.touched[name] ?? undefined) === text)
      || uncertain.some((w) => allowed(value, new Set(couldLeave(w, name))));
    expect(written, `no value nobody wrote: ${region} holds ${pk}.${name} = ${text}, which no write of ${pk} set`).toBe(true);
  }
}
