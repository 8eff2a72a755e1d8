/** Folding what the regions hold, key by key: change events and /api/table answers. */
import type { FeedChange } from '../../../region/feedEvents.js';
import type { Item, Version } from '../../../core/types.js';
import { compareVersions } from '../../../core/version.js';
import { LIMITS, type Cell, type ConsoleState, type Row, type TableRows } from './consoleState.js';
import type { Draft } from './draft.js';
import type { TableResponse } from './events.js';
import { keyId, versionId } from './keys.js';
import { addTableName, draftRegion } from './regions.js';

function draftTable(draft: Draft<ConsoleState>, name: string): TableRows {
  addTableName(draft, name);
  const tables = draft.child<Record<string, TableRows>>(draft.root, 'tables');
  if (!tables[name]) tables[name] = draft.adopt({ name, rows: {}, rowCount: 0, truncated: false, absent: {} });
  return draft.child<TableRows>(tables, name);
}

/**
 * A region's state of a key only moves to larger versions, so the larger version is the newer
 * state, whichever arrived first: a table loaded after some change events, or before.
 */
function putCell(draft: Draft<ConsoleState>, table: TableRows, keys: Item, region: string, cell: Cell): void {
  const id = keyId(keys);
  const rows = draft.child<Record<string, Row>>(table, 'rows');
  if (!rows[id]) {
    if (table.rowCount >= LIMITS.rowsPerTable) {
      table.truncated = true;
      return;
    }
    rows[id] = draft.adopt({ id, keys, cells: {} });
    table.rowCount += 1;
  }
  const current = rows[id].cells[region];
  if (current && compareVersions(cell.version, current.version) < 0) return;
  const row = draft.child<Row>(rows, id);
  draft.child<Row['cells']>(row, 'cells')[region] = cell;
}

/** Remembers a written value, so a conflict card can show it later; the oldest are forgotten. */
function rememberWrite(draft: Draft<ConsoleState>, table: string, keys: Item, version: Version, item: Item | null): void {
  const id = writeId(table, keyId(keys), version);
  if (id in draft.root.writes) return;
  const writes = draft.child<ConsoleState['writes']>(draft.root, 'writes');
  const order = draft.child<string[]>(draft.root, 'writeOrder');
  writes[id] = item;
  order.push(id);
  while (order.length > LIMITS.writes) delete writes[order.shift()!];
}

export const writeId = (table: string, rowId: string, version: Version): string => `${table}|${rowId}|${versionId(version)}`;

export function applyChange(draft: Draft<ConsoleState>, change: FeedChange): void {
  draftRegion(draft, change.region);
  const table = draftTable(draft, change.table);
  const item = change.eventName === 'REMOVE' ? null : change.imageOmitted ? undefined : change.newImage ?? null;
  putCell(draft, table, change.keys, change.region, { item, version: change.version, origin: change.origin, atMs: change.atMs });
  if (change.origin === change.region && item !== undefined) rememberWrite(draft, change.table, change.keys, change.version, item);
}

export function applyTable(draft: Draft<ConsoleState>, response: TableResponse): void {
  const table = draftTable(draft, response.table);
  for (const [region, answer] of Object.entries(response.regions)) {
    draftRegion(draft, region);
    const absent = draft.child<TableRows['absent']>(table, 'absent');
    if ('missing' in answer) absent[region] = 'missing';
    else if ('error' in answer) absent[region] = answer.error;
    else {
      delete absent[region];
      if (answer.truncated) table.truncated = true;
      for (const e of answer.entries) {
        putCell(draft, table, e.keys, region, { item: e.item, version: e.version, origin: e.origin, writtenAtMs: e.writtenAtMs });
        if (e.origin === region) rememberWrite(draft, response.table, e.keys, e.version, e.item);
      }
    }
  }
}
