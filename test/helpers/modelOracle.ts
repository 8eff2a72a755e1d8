/**
 * The checks after a history of the model-based tests, on a healed and drained cluster (simulated
 * or real): every region holds the same data (invariant 1); each final item is what the last
 * writer of its key (or, per attribute, of each attribute) left among the acknowledged writes,
 * tombstones included (2); no region holds a value nobody wrote (3); and no stored version is
 * below one seen during the history (5).
 */
import { expect } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { checkAttributeOracle, checkAttributesWritten } from './simAttributeOracle.js';
import { digestOf, keyOf, type ModelRegion, storedRecord } from './modelRegion.js';
import { checkConflictAccounting, type ConflictAccounting } from './modelConflicts.js';
import { noteVersion } from './modelWriteChecks.js';
import { canonicalItem, KEYS, lastWriterOf, type ModelState, stringOf, versionText } from './simModel.js';

export interface FinalState {
  digest: string;
  /** At item granularity: how the acknowledged writes that did not survive are accounted for. */
  accounting?: ConflictAccounting;
  /** Final items that mix the attributes of several acknowledged writes (attribute granularity only). */
  mixedItems: number;
}

/** Checks a drained cluster against the model; call only once nothing is on its way. */
export async function checkFinalState(model: ModelState, regions: readonly ModelRegion[]): Promise<FinalState> {
  const digests = await Promise.all(regions.map((region) => digestOf(region, model.table)));
  expect(new Set(digests).size, `converged: digests equal in all regions after draining (${digests.join(', ')})`).toBe(1);
  const items = await finalItems(model.table, regions);
  checkOracle(model, items);
  for (const region of regions) {
    for (const pk of KEYS) noteVersion(model, region.name, pk, await storedRecord(region, model.table, pk), 'after draining');
  }
  const accounting = model.granularity === 'item' ? await checkConflictAccounting(model, regions) : undefined;
  return { digest: digests[0], mixedItems: mixedItems(model, regions[0].name, items), ...(accounting ? { accounting } : {}) };
}

async function finalItems(table: string, regions: readonly ModelRegion[]): Promise<Map<string, Item | null>> {
  const items = new Map<string, Item | null>();
  for (const region of regions) {
    for (const pk of KEYS) {
      const read = await region.call<{ Item?: Item }>('GetItem', { TableName: table, Key: keyOf(pk), ConsistentRead: true });
      items.set(`${region.name}|${pk}`, read.Item ?? null);
    }
  }
  return items;
}

/** Whether the item can be what a write of unknown outcome to pk left. */
function uncertainOutcome(model: ModelState, pk: string, item: Item | null): boolean {
  const tag = item === null ? undefined : stringOf(item.tag);
  return model.uncertainWrites.some((w) => w.pk === pk && (item === null ? w.spec.kind === 'delete' : w.spec.kind !== 'delete' && w.tag === tag));
}

function checkOracle(model: ModelState, items: Map<string, Item | null>): void {
  const written = new Map(model.writes.map((w) => [w.tag, w.item]));
  for (const [slot, item] of items) {
    const [region, pk] = slot.split('|');
    // Invariant 3: every item is one a write left (its tag names the write); at attribute
    // granularity each attribute is one a write set (the item mixes writes).
    if (item !== null) {
      const tag = stringOf(item.tag) ?? '(no tag)';
      expect(model.issuedTags.has(tag), `no value nobody wrote: ${region} holds ${pk} = ${canonicalItem(item)}, tag ${tag} was never written`).toBe(true);
      if (model.granularity === 'attribute') checkAttributesWritten(model, region, pk, item);
      else if (written.has(tag)) expect(canonicalItem(item), `no value nobody wrote: ${region} holds ${pk} as write ${tag} never left it`).toBe(canonicalItem(written.get(tag)));
    }
    if (model.granularity === 'attribute') {
      checkAttributeOracle(model, region, pk, item);
      continue;
    }
    // Invariant 2: the acknowledged write with the largest stored version wins, at item granularity
    // (or, newer still, a write whose outcome is unknown: then the item is what that write left).
    const winner = lastWriterOf(model, pk);
    if (canonicalItem(item) !== canonicalItem(winner?.item ?? null) && uncertainOutcome(model, pk, item)) continue;
    expect(canonicalItem(item), `last writer wins: ${region} ${pk} should be write ${winner?.tag ?? 'none'} from ${winner?.region ?? '-'} at ${versionText(winner?.version)}`)
      .toBe(canonicalItem(winner?.item ?? null));
  }
}

/**
 * How many keys end otherwise than item granularity would leave them (the whole item of the
 * acknowledged write with the largest version), with no write of unknown outcome to explain it:
 * attributes of concurrent writes that both survived, what only attribute granularity does.
 */
function mixedItems(model: ModelState, region: string, items: Map<string, Item | null>): number {
  if (model.granularity !== 'attribute') return 0;
  return KEYS.filter((pk) => !model.uncertainWrites.some((w) => w.pk === pk)
    && canonicalItem(items.get(`${region}|${pk}`)) !== canonicalItem(lastWriterOf(model, pk)?.item ?? null)).length;
}
