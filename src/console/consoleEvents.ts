/** What the console's own event stream (/api/events) sends besides every region's feed events. */
import type { FeedEvent } from '../region/feedEvents.js';

/** A region's feed connected (up) or was lost (down: crashed, restarting, unreachable). */
export interface RegionStateEvent { type: 'region'; region: string; up: boolean; atMs: number }

export interface TableConvergence {
  table: string;
  /** The regions that hold the table (as their status said last). */
  regions: string[];
  /** Every one of them is up, has applied everything it knows of, and has the same digest. */
  agree: boolean;
  /** Since when they agree (console time), null while they do not. */
  sinceMs: number | null;
  /** Changes the holding regions know of and have not applied. */
  pending: number;
}

export interface ConvergenceEvent { type: 'convergence'; atMs: number; tables: TableConvergence[] }

export type ConsoleEvent = FeedEvent | RegionStateEvent | ConvergenceEvent;
