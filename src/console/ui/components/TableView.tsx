/** One table's keys as rows, one column per region; cells that differ between regions stand out. */
import { differingCells, keyText, sortedRows, tableRegions, type Cell, type ConsoleState, type Row } from '../state/index.js';
import { regionColour } from './colors.js';
import { itemText, versionText } from './format.js';

/** More rows than a screen shows are left out of the page (the state keeps them). */
const SHOWN_ROWS = 300;

export interface TableViewProps {
  state: ConsoleState;
  table: string | null;
  onSelectTable?: (table: string) => void;
  selectedRowId?: string | null;
  /** A row the page points at (the guided demo's). */
  highlightRowId?: string | null;
  onSelectRow?: (row: Row) => void;
}

export function TableView({ state, table, onSelectTable, selectedRowId, highlightRowId, onSelectRow }: TableViewProps) {
  const regions = table ? tableRegions(state, table) : [];
  const rows = table ? sortedRows(state, table) : [];
  const differing = rows.map((row) => differingCells(row, regions));
  const differCount = differing.filter((d) => d.length > 0).length;
  const info = table ? state.tables[table] : undefined;
  return (
    <div class="table-view">
      <div class="panel-head">
        <label>
          Table{' '}
          <select value={table ?? ''} disabled={!onSelectTable} onChange={(e) => onSelectTable?.(e.currentTarget.value)}>
            {table === null && <option value="">(none yet)</option>}
            {(table && !state.tableNames.includes(table) ? [...state.tableNames, table] : state.tableNames).map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        {table && <span class="muted">{rows.length} {rows.length === 1 ? 'key' : 'keys'} · {differCount === 0 ? 'all regions agree' : `${differCount} differ`}{info?.truncated ? ' · listing cut short' : ''}</span>}
      </div>
      {!table && <p class="muted">No table yet: the guided race makes one, or create one with the AWS SDK or CLI in any region.</p>}
      {table && (
        <div class="table-scroll">
          <table class="items">
            <thead>
              <tr>
                <th scope="col">key</th>
                {regions.map((r) => <th scope="col" key={r} style={{ color: regionColour(state, r) }}>{r}</th>)}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, SHOWN_ROWS).map((row, i) => (
                <tr key={row.id} data-row={keyText(row.keys)} data-agree={differing[i].length === 0 ? 'yes' : 'no'}
                  class={`${row.id === selectedRowId ? 'selected' : ''}${row.id === highlightRowId ? ' pointed' : ''}`}
                  onClick={onSelectRow ? () => onSelectRow(row) : undefined}>
                  <th scope="row">
                    {onSelectRow
                      ? <button type="button" class="link-button" aria-label={`History of ${keyText(row.keys)}`}>{keyText(row.keys)}</button>
                      : keyText(row.keys)}
                  </th>
                  {regions.map((r) => <ItemCell key={r} cell={row.cells[r]} keyNames={Object.keys(row.keys)} differs={differing[i].includes(r)} />)}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > SHOWN_ROWS && <p class="muted">{rows.length - SHOWN_ROWS} more keys not shown.</p>}
          {rows.length === 0 && <p class="muted">No items yet.</p>}
        </div>
      )}
    </div>
  );
}

function ItemCell({ cell, keyNames, differs }: { cell: Cell | undefined; keyNames: string[]; differs: boolean }) {
  const cls = `cell${differs ? ' differs' : ''}${cell?.item === null ? ' tombstone' : ''}`;
  if (!cell) return <td class={cls}><span class="muted">—</span>{differs && <span class="sr-only"> (differs)</span>}</td>;
  const value = cell.item === null ? 'deleted' : cell.item === undefined ? '(large item)' : itemText(cell.item, keyNames);
  return (
    <td class={cls} title={`version ${versionText(cell.version)}, written in ${cell.origin}`}>
      <span class="value">{value}</span>
      <span class="version">{versionText(cell.version)}</span>
      {differs && <span class="sr-only"> (differs)</span>}
    </td>
  );
}
