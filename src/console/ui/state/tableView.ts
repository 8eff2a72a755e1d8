/** What the table view shows, derived from the state: which regions are columns, which rows differ. */
import type { Cell, ConsoleState, Row } from './consoleState.js';
import { keyText, sameItem, sameVersion } from './keys.js';

/** Regions holding the table (by their status, or the convergence report), else those that answered for it. */
export function tableRegions(state: ConsoleState, table: string): string[] {
  const holders = new Set<string>(state.convergence[table]?.regions ?? []);
  for (const name of state.regionOrder) {
    if (state.regions[name]?.tables.some((t) => t.name === table)) holders.add(name);
  }
  const rows = state.tables[table];
  if (holders.size === 0 && rows) {
    for (const row of Object.values(rows.rows)) for (const region of Object.keys(row.cells)) holders.add(region);
  }
  for (const [region, why] of Object.entries(rows?.absent ?? {})) if (why === 'missing') holders.delete(region);
  return state.regionOrder.filter((name) => holders.has(name));
}

/**
 * Rows keep their identity until a change touches them (copy-on-write), so what was worked out for
 * a row stays true until then: a busy table redraws without comparing every cell again.
 */
const differingMemo = new WeakMap<Row, { regions: string; differing: string[] }>();
const keyTextMemo = new WeakMap<Row, string>();

/** The regions (of those given) whose cell is not what the others hold: empty when all agree. */
export function differingCells(row: Row, regions: string[]): string[] {
  const key = regions.join('|');
  const known = differingMemo.get(row);
  if (known?.regions === key) return known.differing;
  const differing = compareCells(row, regions);
  differingMemo.set(row, { regions: key, differing });
  return differing;
}

function compareCells(row: Row, regions: string[]): string[] {
  const cells = regions.map((r) => row.cells[r]);
  const agree = cells.every((c) => sameCell(c, cells[0]));
  if (agree) return [];
  // A state most regions hold is the reference, and the others differ; without a majority, every cell differs.
  const counts = cells.map((c) => cells.filter((o) => sameCell(o, c)).length);
  const most = Math.max(...counts);
  if (most * 2 <= cells.length) return regions.slice();
  const reference = cells[counts.indexOf(most)];
  return regions.filter((_, i) => !sameCell(cells[i], reference));
}

function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  if (!a || !b) return a === b;
  return sameVersion(a.version, b.version) && (a.item === undefined || b.item === undefined || sameItem(a.item, b.item));
}

/** The table's rows in key order. */
export function sortedRows(state: ConsoleState, table: string): Row[] {
  const rows = Object.values(state.tables[table]?.rows ?? {});
  const text = (row: Row): string => {
    let known = keyTextMemo.get(row);
    if (known === undefined) keyTextMemo.set(row, (known = keyText(row.keys)));
    return known;
  };
  return rows.map((row) => ({ row, text: text(row) })).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)).map((r) => r.row);
}
