/**
 * "No item holds a value nobody wrote": from a history, every value each (key, attribute) could
 * hold — what puts and SETs wrote there, and for the counter every sum of a subset of the deltas
 * ADDed to it (any chain of ADDs that survived last-writer-wins) — and the check of final items.
 * Attempted writes count as well as acknowledged ones: a write that failed its condition must not
 * show up, but one whose outcome is unknown may.
 */
import { argsOf, FUZZ_TABLE, KEY_ATTRIBUTE, kindOf, type History } from './history.js';
import { COUNTER_ATTRIBUTE } from './generate.js';

export interface WrittenValues {
  /** key → attribute → the values written there. */
  values: Map<string, Map<string, Set<unknown>>>;
  /** key → every sum a subset of its ADD deltas makes (0 included). */
  counterSums: Map<string, Set<number>>;
}

function valuesOf(ledger: WrittenValues, key: string, attribute: string): Set<unknown> {
  let byAttribute = ledger.values.get(key);
  if (!byAttribute) ledger.values.set(key, (byAttribute = new Map()));
  let set = byAttribute.get(attribute);
  if (!set) byAttribute.set(attribute, (set = new Set()));
  return set;
}

export function writtenValues(history: History): WrittenValues {
  const ledger: WrittenValues = { values: new Map(), counterSums: new Map() };
  const deltas = new Map<string, number[]>();
  for (const step of history.steps) {
    const kind = kindOf(step);
    const args = argsOf(step);
    if ((kind !== 'put' && kind !== 'update') || args.table !== FUZZ_TABLE) continue;
    // A write that must fail (its condition can never hold) writes nothing.
    if (args.expectError !== undefined) continue;
    const fields = kind === 'put' ? args.item as Record<string, unknown> : { ...(args.key as Record<string, unknown>), ...(args.set as Record<string, unknown> | undefined) };
    const key = String((kind === 'put' ? fields : args.key as Record<string, unknown>)[KEY_ATTRIBUTE]);
    for (const [attribute, value] of Object.entries(fields)) valuesOf(ledger, key, attribute).add(value);
    const add = args.add as Record<string, number> | undefined;
    if (add?.[COUNTER_ATTRIBUTE] !== undefined) {
      deltas.set(key, [...(deltas.get(key) ?? []), add[COUNTER_ATTRIBUTE]]);
    }
  }
  for (const [key, list] of deltas) {
    const sums = new Set<number>([0]);
    for (const delta of list) for (const sum of [...sums]) sums.add(sum + delta);
    ledger.counterSums.set(key, sums);
  }
  return ledger;
}

/** Problems with one region's final items (plain values); none when every value was written by someone. */
export function unwrittenValues(ledger: WrittenValues, region: string, items: Record<string, unknown>[]): string[] {
  const problems: string[] = [];
  for (const item of items) {
    const key = String(item[KEY_ATTRIBUTE]);
    const written = ledger.values.get(key);
    if (!written) {
      problems.push(`${region}: item ${key} exists, but no put or update wrote that key`);
      continue;
    }
    for (const [attribute, value] of Object.entries(item)) {
      if (attribute === COUNTER_ATTRIBUTE) {
        if (typeof value !== 'number' || !ledger.counterSums.get(key)?.has(value)) {
          problems.push(`${region}: ${key}.${attribute} = ${JSON.stringify(value)} is no sum of the deltas ADDed to it`);
        }
      } else if (!written.get(attribute)?.has(value)) {
        problems.push(`${region}: ${key}.${attribute} = ${JSON.stringify(value)} was never written there`);
      }
    }
  }
  return problems;
}
