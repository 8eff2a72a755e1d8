/**
 * What the console page reads: every region's feed event (src/region/feedEvents.ts) plus the
 * console server's own events, and the answers of its /api routes. Types only: the page, the replay
 * page and the state model share them.
 */
import type { KeyTimelineEntry } from '../../../core/keyHistory.js';
import type { Item } from '../../../core/types.js';
import type { ConsoleEvent } from '../../consoleEvents.js';
import type { RegionTable, TableEntry } from '../../tableView.js';

// The server's own types (erased in the bundle): what it sends is what the page reads.
export type { ConsoleEvent, ConvergenceEvent, RegionStateEvent as RegionUpEvent, TableConvergence } from '../../consoleEvents.js';
export type { TableEntry };

/** GET /api/cluster */
export interface ClusterInfo {
  regions: { name: string; endpoint: string; controllable: boolean; up?: boolean }[];
  tables?: string[];
}

/** GET /api/table?table=T */
export interface TableResponse {
  table: string;
  regions: Record<string, RegionTable>;
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
