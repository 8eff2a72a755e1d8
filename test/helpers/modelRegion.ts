/**
 * What the model-based tests act on, whether the cluster is simulated or real: regions that answer
 * the DynamoDB JSON protocol and the admin API (where a key's stored record and version are read),
 * and a cluster that runs the work (the simulator drives it on virtual time; a real one awaits it).
 * The write commands and the oracle see only this, so both suites check the same rules.
 */
import type { VersionedState } from '../../src/core/lww.js';
import type { Item, Version } from '../../src/core/types.js';
import type { ClockMode } from '../../src/core/version.js';

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export type RegionName = (typeof REGIONS)[number];

export interface ModelRegion {
  readonly name: string;
  /** How it stamps writes: a wall clock may lose a write at once to a version it already holds. */
  readonly config: { readonly clockMode: ClockMode };
  /**
   * One DynamoDB call. A DynamoDB error answer throws DynamoCallError; an answer that never came
   * (a time-out, a broken connection) throws RegionUnreachableError: the write may or may not have happened.
   */
  call<T = Record<string, unknown>>(operation: string, body: unknown): Promise<T>;
  /** One admin API call (path with its query string); resolves with the JSON body. */
  admin<T = unknown>(path: string, method?: string, body?: unknown): Promise<T>;
}

export interface ModelCluster {
  region(name: string): ModelRegion;
  run<T>(work: Promise<T>): Promise<T>;
}

/** The system fast-check's write commands run against. */
export interface ModelReal { cluster: ModelCluster }

/** What /admin/item returns for a key: the stored record (null when nothing is stored); attributes at attribute granularity. */
export interface StoredRecord { item: Item | null; version: Version; prevVersion?: Version; attributes?: VersionedState['attributes'] }

export function keyOf(pk: string): Item {
  return { pk: { S: pk } };
}

export async function storedRecord(region: Pick<ModelRegion, 'admin'>, table: string, pk: string): Promise<StoredRecord | null> {
  const key = encodeURIComponent(JSON.stringify(keyOf(pk)));
  return (await region.admin<{ record: StoredRecord | null }>(`/admin/item?table=${table}&key=${key}`)).record;
}

/** The digest of one table in a region (items, tombstones, versions): equal on converged replicas. */
export async function digestOf(region: Pick<ModelRegion, 'admin'>, table: string): Promise<string> {
  return (await region.admin<{ digest: string }>(`/admin/digest?table=${table}`)).digest;
}
