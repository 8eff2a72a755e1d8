/**
 * What a view may ask the cluster to do. The live page passes these; a replay passes none, and the
 * views are then read-only (no buttons).
 */
import type { Item } from '../../../core/types.js';
import type { KeyTimelineEntry } from '../state/index.js';

export interface LinkUpdate { stalled?: boolean; latencyMs?: number; jitterMs?: number }

export interface DynamoAnswer { status: number; body: Record<string, unknown> }

export interface ConsoleActions {
  /** A DynamoDB request sent to one region (through the console server). */
  dynamodb(region: string, operation: string, input: Record<string, unknown>): Promise<DynamoAnswer>;
  /** Changes the link INTO `target` that carries `source`'s changes. */
  setLink(target: string, source: string, update: LinkUpdate): Promise<void>;
  /** Heals every link into the region. */
  healLinks(region: string): Promise<void>;
  setClock(region: string, clock: { skewMs?: number; mode?: 'hlc' | 'wall' }): Promise<void>;
  crash(region: string): Promise<void>;
  restart(region: string): Promise<void>;
  history(table: string, keys: Item): Promise<KeyTimelineEntry[]>;
}

/** Partitions two regions: both directions stalled. */
export async function partition(actions: ConsoleActions, a: string, b: string): Promise<void> {
  await Promise.all([actions.setLink(b, a, { stalled: true }), actions.setLink(a, b, { stalled: true })]);
}

/** Both directions between two regions back to healthy: no stall, no latency. */
export async function healPair(actions: ConsoleActions, a: string, b: string): Promise<void> {
  const healthy = { stalled: false, latencyMs: 0, jitterMs: 0 };
  await Promise.all([actions.setLink(b, a, healthy), actions.setLink(a, b, healthy)]);
}

export async function healEverything(actions: ConsoleActions, regions: string[]): Promise<void> {
  await Promise.all(regions.map((r) => actions.healLinks(r)));
}

/** The delay "slow" puts on a link. */
export const SLOW_LINK_MS = 500;
