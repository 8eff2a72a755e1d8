/**
 * What the console page reads: every region's feed event (src/region/feedEvents.ts) plus the
 * console server's own events, and the answers of its /api routes. Types only: the page, the replay
 * page and the state model share them.
 */
import type { FeedEvent } from '../../../region/feedEvents.js';
import type { KeyTimelineEntry } from '../../../core/keyHistory.js';
import type { Item, Version } from '../../../core/types.js';

/** A region's feed connected (up) or lost: a crashed region is down. */
export interface RegionUpEvent { type: 'region'; region: string; up: boolean; atMs: number }

export interface TableConvergence {
  table: string;
  regions: string[];
  /** Every region holding the table has the same digest and nothing is pending. */
  agree: boolean;
  /** Since when they agree (or differ). */
  sinceMs: number | null;
  pending: number;
}

/** Once a second from the console server. */
export interface ConvergenceEvent { type: 'convergence'; atMs: number; tables: TableConvergence[] }

export type ConsoleEvent = FeedEvent | RegionUpEvent | ConvergenceEvent;

/** GET /api/cluster */
export interface ClusterInfo {
  regions: { name: string; endpoint: string; controllable: boolean; up?: boolean }[];
  tables?: string[];
}

/** One stored key of one region, as GET /api/table lists it. */
export interface TableEntry { keys: Item; item: Item | null; version: Version; origin: string; writtenAtMs: number }

/** GET /api/table?table=T */
export interface TableResponse {
  table: string;
  regions: Record<string, { entries: TableEntry[]; truncated: boolean } | { missing: true } | { error: string }>;
}

/** One mark of a key's history. */
export type { KeyTimelineEntry };

/** GET /api/history?table=T&key=… */
export interface HistoryResponse { table: string; key: Item; timeline: KeyTimelineEntry[] }

const CONSOLE_EVENT_TYPES = new Set(['hello', 'change', 'changesSkipped', 'conflict', 'fault', 'status', 'region', 'convergence']);

/** Whether a recorded or received event is one the state model folds (a replay holds others too). */
export function isConsoleEvent(event: { type: string }): event is ConsoleEvent {
  return CONSOLE_EVENT_TYPES.has(event.type);
}
