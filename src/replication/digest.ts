/** A digest of a region's table state (items and tombstones with versions, attribute-level versions included), equal on converged replicas. */
import { createHash } from 'node:crypto';
import { setOwn } from '../core/plainData.js';
import type { RegionContext } from '../dynamo/context.js';
import type { TableMeta } from '../dynamo/tables.js';
import { compareVersions } from '../core/version.js';
import type { ItemRecord } from '../storage/store.js';

export interface TableDigest {
  digest: string;
  items: number;
  tombstones: number;
}

/** JSON with object keys sorted, so equal values hash equally whatever order their attributes arrived in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The attribute state as replicas must agree on it. A delete floor below every register (liveness
 * and each attribute) hides nothing the item holds, and exists only where the write that recreated
 * the item met the tombstone: a region that had already purged it (every replica held it, so no
 * write it would hide can still come) starts the item afresh. Left out, so both count as equal.
 */
function comparableAttributes(attributes: ItemRecord['attributes']): ItemRecord['attributes'] {
  const floor = attributes?.floor;
  if (!attributes || !floor || !attributes.live || compareVersions(floor, attributes.live) >= 0) return attributes;
  if (Object.values(attributes.versions).some((version) => compareVersions(floor, version) >= 0)) return attributes;
  const { floor: _hidesNothing, ...rest } = attributes;
  return rest;
}

export function tableDigest(ctx: RegionContext, meta: TableMeta): TableDigest {
  const hash = createHash('sha256');
  let items = 0;
  let tombstones = 0;
  ctx.store.read((txn) => {
    for (const { key, record } of txn.range(meta.id)) {
      if (record.item) items += 1;
      else tombstones += 1;
      hash.update(key);
      // Attribute-level versions too: replicas that agree on the item but not on them would merge the next write differently.
      hash.update(canonicalJson({ item: record.item, version: record.version, attributes: comparableAttributes(record.attributes) }));
    }
  });
  return { digest: hash.digest('hex'), items, tombstones };
}

/** Every table's digest (or the named ones), and one digest over them all. */
export function regionDigest(ctx: RegionContext, tableNames?: string[]): { digest: string; tables: Record<string, TableDigest> } {
  const names = (tableNames ?? ctx.store.read((txn) => txn.listTableNames())).slice().sort();
  const tables: Record<string, TableDigest> = {};
  const all = createHash('sha256');
  for (const name of names) {
    const meta = ctx.store.read((txn) => txn.getTable<TableMeta>(name));
    if (!meta || meta.deleting) continue;
    const digest = tableDigest(ctx, meta);
    setOwn(tables, name, digest);
    all.update(`${name}:${digest.digest};`);
  }
  return { digest: all.digest('hex'), tables };
}
