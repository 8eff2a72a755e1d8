/**
 * Replica-specific settings of a global table's global indexes: the GlobalSecondaryIndexes of a
 * ReplicaUpdates Create or Update (UpdateTable), kept per replica region in the table's metadata
 * and reported in DescribeTable's Replicas[].GlobalSecondaryIndexes. They are settings only: a
 * region here does not meter reads, so an override changes no behaviour.
 */
import { own, setOwn } from '../../core/plainData.js';
import { ResourceNotFoundException } from '../errors.js';
import { long, list, str, struct, TABLE_NAME_PATTERN, type FieldRule } from '../validation/shape.js';
import { findIndex, type IndexMeta } from './indexMeta.js';

export interface ReplicaIndexSetting {
  IndexName: string;
  ProvisionedThroughputOverride?: { ReadCapacityUnits?: number };
  OnDemandThroughputOverride?: { MaxReadRequestUnits?: number };
}

/** Per replica region, the settings of the indexes it overrides, in the order they were first given. */
export type ReplicaIndexSettings = Record<string, ReplicaIndexSetting[]>;

export const replicaIndexesRule = (): FieldRule => list(struct('ReplicaGlobalSecondaryIndex', {
  IndexName: str({ notNull: true, regex: TABLE_NAME_PATTERN, lengthMin: 3, lengthMax: 255 }),
  ProvisionedThroughputOverride: struct('ProvisionedThroughputOverride', { ReadCapacityUnits: long({ min: 1 }) }),
  OnDemandThroughputOverride: struct('OnDemandThroughputOverride', { MaxReadRequestUnits: long() }),
}, { notNull: true }), { lengthMin: 1 });

/** Every index named must be a global index of the table (and not on its way out). */
export function checkReplicaIndexes(table: { name: string; indexes?: IndexMeta[] }, settings: ReplicaIndexSetting[]): void {
  for (const setting of settings) {
    const index = findIndex(table, setting.IndexName);
    if (!index || index.kind !== 'global' || index.status === 'DELETING') {
      throw new ResourceNotFoundException(`Requested resource not found: Index: ${setting.IndexName} not found for table: ${table.name}`);
    }
  }
}

function settingOf(requested: ReplicaIndexSetting): ReplicaIndexSetting {
  return {
    IndexName: requested.IndexName,
    ...(requested.ProvisionedThroughputOverride ? { ProvisionedThroughputOverride: { ...requested.ProvisionedThroughputOverride } } : {}),
    ...(requested.OnDemandThroughputOverride ? { OnDemandThroughputOverride: { ...requested.OnDemandThroughputOverride } } : {}),
  };
}

/** The settings after a Create or Update for `region`: a named index takes the new setting, the others stay. */
export function withReplicaIndexes(current: ReplicaIndexSettings | undefined, region: string, requested: ReplicaIndexSetting[]): ReplicaIndexSettings {
  const next: ReplicaIndexSettings = { ...current };
  const settings = [...(own(next, region) ?? [])];
  for (const setting of requested.map(settingOf)) {
    const at = settings.findIndex((s) => s.IndexName === setting.IndexName);
    if (at >= 0) settings[at] = setting;
    else settings.push(setting);
  }
  setOwn(next, region, settings);
  return next;
}

/** The settings without a region's (a replica deleted). */
export function withoutReplica(current: ReplicaIndexSettings | undefined, region: string): ReplicaIndexSettings | undefined {
  if (!current || !Object.hasOwn(current, region)) return current;
  const next = { ...current };
  delete next[region];
  return Object.keys(next).length ? next : undefined;
}

/** Replicas[].GlobalSecondaryIndexes of one replica: its settings for the global indexes the table still has. */
export function describeReplicaIndexes(table: { indexes?: IndexMeta[] }, settings: ReplicaIndexSettings | undefined, region: string): Record<string, unknown> {
  const live = (own(settings ?? {}, region) ?? []).filter((setting) => {
    const index = findIndex(table, setting.IndexName);
    return index?.kind === 'global' && index.status !== 'DELETING';
  });
  return live.length ? { GlobalSecondaryIndexes: live } : {};
}
