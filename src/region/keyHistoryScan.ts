/**
 * One key's history as a region holds it (GET /admin/history): the key's records in the change log,
 * found by reading the log newest-first a chunk at a time up to a bound, and the conflicts logged for
 * it. Regions' histories together make a key's timeline (src/core/keyHistory.ts).
 */
import { delay } from '../clock/clock.js';
import { explainConflict } from '../core/conflictExplanation.js';
import { compareBytes, hashBytes } from '../core/keys.js';
import type { AttributeValue, Item, KeyShape } from '../core/types.js';
import type { RegionContext } from '../dynamo/context.js';
import { keyShapeOf, type TableMeta } from '../dynamo/tables.js';
import type { ConflictEntry, ConflictLog } from '../replication/conflicts.js';
import { feedChange } from './eventFeed.js';
import type { FeedChange } from './feedEvents.js';

/** The most change-log records one history reads: a few hundred milliseconds of work at most. */
export const MAX_HISTORY_SCAN = 200_000;
/** The most changes of one key a history returns (the newest). */
export const MAX_HISTORY_CHANGES = 1000;
/** The most of a table's conflicts searched for the key (the newest). */
export const MAX_HISTORY_CONFLICTS = 100_000;
const CHUNK = 2000;

export interface KeyHistory {
  region: string;
  table: string;
  changes: FeedChange[];
  conflicts: (ConflictEntry & { explanation: string })[];
  /** Change-log records read. */
  scanned: number;
  /** The scan stopped at a bound before the start of the log: older changes of the key may exist. */
  truncated: boolean;
}

/** The key given does not name the table's key attributes with their types. */
export class HistoryKeyMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryKeyMismatchError';
  }
}

type KeyMatcher = (keys: Item) => boolean;

function keyMatcher(shape: KeyShape, key: Item): KeyMatcher {
  const parts = [shape.hash, ...(shape.range ? [shape.range] : [])];
  const names = new Set(parts.map((p) => p.name));
  const extra = Object.keys(key).find((name) => !names.has(name));
  if (extra !== undefined) throw new HistoryKeyMismatchError(`${extra} is not a key attribute of the table`);
  const wanted = parts.map(({ name, type }) => {
    const value = Object.hasOwn(key, name) ? key[name] : undefined;
    if (!value || typeof value !== 'object' || typeof (value as Record<string, unknown>)[type] !== 'string') {
      throw new HistoryKeyMismatchError(`must hold ${name} as ${type}`);
    }
    return { name, type, bytes: hashBytes(type, value) };
  });
  // Numbers compare by value ("1.0" is 1), as the table's own keys do.
  return (keys) => wanted.every(({ name, type, bytes }) => {
    const value: AttributeValue | undefined = Object.hasOwn(keys, name) ? keys[name] : undefined;
    if (!value || typeof (value as Record<string, unknown>)[type] !== 'string') return false;
    return compareBytes(hashBytes(type, value), bytes) === 0;
  });
}

export interface HistoryLimits {
  maxScanned: number;
  maxChanges: number;
}

const LIMITS: HistoryLimits = { maxScanned: MAX_HISTORY_SCAN, maxChanges: MAX_HISTORY_CHANGES };

/** Undefined when the region has no such table; HistoryKeyMismatchError for a key of the wrong shape. */
export async function keyHistory(ctx: RegionContext, conflicts: ConflictLog, table: string, key: Item, limits = LIMITS): Promise<KeyHistory | undefined> {
  const { maxScanned, maxChanges } = limits;
  const meta = ctx.store.read((txn) => txn.getTable<TableMeta>(table));
  if (!meta || meta.deleting) return undefined;
  const matches = keyMatcher(keyShapeOf(meta), key);
  const newestFirst: FeedChange[] = [];
  let scanned = 0;
  let upTo = ctx.store.lastLsn();
  let reachedStart = upTo === 0;
  while (!reachedStart && scanned < maxScanned && newestFirst.length < maxChanges) {
    const from = Math.max(0, upTo - Math.min(CHUNK, maxScanned - scanned));
    const chunk = ctx.store.changesAfter(from, upTo - from).filter((change) => change.lsn <= upTo);
    // Consecutive lsns: a chunk that starts late, or is empty, met the log's start (retention trims it).
    reachedStart = from === 0 || chunk.length === 0 || chunk[0].lsn > from + 1;
    scanned += chunk.length;
    for (let i = chunk.length - 1; i >= 0 && newestFirst.length < maxChanges; i -= 1) {
      const change = chunk[i];
      if (change.table === table && matches(change.keys)) newestFirst.push(feedChange(ctx.region, change));
    }
    upTo = from;
    // Lets requests and replication run between chunks.
    if (!reachedStart) await delay(ctx.clock, 0);
  }
  const keyConflicts = conflicts.list({ table, limit: MAX_HISTORY_CONFLICTS })
    .filter((entry) => matches(entry.keys))
    .map((entry) => ({ ...entry, explanation: explainConflict(entry) }));
  return { region: ctx.region, table, changes: newestFirst.reverse(), conflicts: keyConflicts, scanned, truncated: !reachedStart };
}
