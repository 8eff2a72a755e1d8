/** Identities the state model keys things by: an item key, a version, a directed link. */
import type { AttributeValue, Item, Version } from '../../../core/types.js';

/** JSON with object members in name order, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** A row's identity: its key attributes, in name order. */
export const keyId = (keys: Item): string => stableJson(keys);

export const versionId = (v: Version): string => `${v.ts}.${v.counter}.${v.region}`;

export const sameVersion = (a: Version | undefined, b: Version | undefined): boolean =>
  a !== undefined && b !== undefined && a.ts === b.ts && a.counter === b.counter && a.region === b.region;

export const sameItem = (a: Item | null | undefined, b: Item | null | undefined): boolean => stableJson(a ?? null) === stableJson(b ?? null);

/** A directed link's name: where the changes come from, and where they go. */
export const pairId = (source: string, target: string): string => `${source}→${target}`;

/** Key attributes in name order as plain text, for sorting rows: `id=race`. */
export function keyText(keys: Item): string {
  return Object.keys(keys).sort().map((name) => `${name}=${scalarText(keys[name])}`).join(', ');
}

function scalarText(value: AttributeValue): string {
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return `b64:${value.B}`;
  return stableJson(value);
}
