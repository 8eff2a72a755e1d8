/**
 * The console's whole picture of a cluster, built only by folding events: the live page folds what
 * /api/events sends, a replay folds a recorded run's events up to the moment shown. Pure: no DOM,
 * no fetch, no clock (time is the events' atMs).
 */
import type { ConflictReason, WriteInfo } from '../../../core/lww.js';
import type { Item, Version } from '../../../core/types.js';
import type { TableConvergence } from './events.js';

export interface LinkSettingsView { source: string; latencyMs: number; jitterMs: number; stalled: boolean }

export interface ReplicationView {
  source: string;
  connected: boolean;
  pending: number;
  applied: number;
  lagMs: { p50: number | null; p99: number | null; current: number };
}

export interface RegionView {
  name: string;
  endpoint?: string;
  /** The console started it, so it can crash and restart it. */
  controllable: boolean;
  /** null until the first sign either way. */
  up: boolean | null;
  lastStatusAtMs: number | null;
  items: number;
  tables: { name: string; items: number; replicas: string[] }[];
  clock: { mode: 'hlc' | 'wall'; skewMs: number } | null;
  /** Links INTO this region, by the source whose changes they carry. */
  links: Record<string, LinkSettingsView>;
  replication: Record<string, ReplicationView>;
  conflicts: number;
}

/** What one region holds for one key. `item` null is a tombstone; undefined an image the feed left out. */
export interface Cell {
  item: Item | null | undefined;
  version: Version;
  origin: string;
  writtenAtMs?: number;
  /** When this region stored it (a change's atMs). */
  atMs?: number;
}

export interface Row { id: string; keys: Item; cells: Record<string, Cell> }

export interface TableRows {
  name: string;
  rows: Record<string, Row>;
  rowCount: number;
  /** More keys than the console keeps, or a region's listing was cut short. */
  truncated: boolean;
  /** Regions whose /api/table answer said they do not hold it, or failed. */
  absent: Record<string, 'missing' | string>;
}

/** One conflict, as every region where the two writes met logged it. */
export interface ConflictGroup {
  id: string;
  table: string;
  keys: Item;
  rowId: string;
  winner: WriteInfo;
  loser: WriteInfo;
  reason: ConflictReason;
  lostAttributes?: string[];
  explanation: string;
  detected: { region: string; atMs: number }[];
  firstAtMs: number;
}

export interface FaultNote { region: string; atMs: number; kind: string; text: string }

export interface LagSample { atMs: number; pair: string; lagMs: number }

export interface ConsoleState {
  /** The newest event time folded: "now" for a live page, the cursor for a replay. */
  nowMs: number;
  regionOrder: string[];
  regions: Record<string, RegionView>;
  tableNames: string[];
  tables: Record<string, TableRows>;
  /** Newest first. */
  conflicts: ConflictGroup[];
  /** Newest first. */
  faults: FaultNote[];
  lagPairs: string[];
  lagSamples: LagSample[];
  convergence: Record<string, TableConvergence & { atMs: number }>;
  /** The values written, by table, key and version, so a conflict card can show what won and what lost. */
  writes: Record<string, Item | null>;
  writeOrder: string[];
  /** Changes the feeds left out (too many in one beat): the tables may lag behind until reloaded. */
  skippedChanges: number;
}

export const LIMITS = {
  rowsPerTable: 5000,
  conflicts: 200,
  faults: 100,
  lagWindowMs: 10 * 60_000,
  lagSamples: 20_000,
  writes: 2000,
};

export function emptyState(): ConsoleState {
  return {
    nowMs: 0, regionOrder: [], regions: {}, tableNames: [], tables: {}, conflicts: [], faults: [],
    lagPairs: [], lagSamples: [], convergence: {}, writes: {}, writeOrder: [], skippedChanges: 0,
  };
}

export function emptyRegion(name: string): RegionView {
  return { name, controllable: false, up: null, lastStatusAtMs: null, items: 0, tables: [], clock: null, links: {}, replication: {}, conflicts: 0 };
}
