/** The live console: the cluster's regions, links, data, conflicts and lag, and the controls to stir them. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Item } from '../../../core/types.js';
import {
  ConflictFeed, ConvergenceBadges, healEverything, ItemForm, KeyHistory, LagChart, LinkControls, RegionControls, RegionGraph, TableView,
} from '../components/index.js';
import type { KeyTimelineEntry } from '../state/index.js';
import { fetchTable, liveActions } from './api.js';
import { withNotices, type Notice } from './notices.js';
import { RaceDemo, type DemoPointer } from './RaceDemo.js';
import { useLiveState } from './useLiveState.js';

type Tab = 'demo' | 'item' | 'regions' | 'links';
const TABS: { id: Tab; label: string }[] = [
  { id: 'links', label: 'Links' },
  { id: 'demo', label: 'Race two writes (guided)' },
  { id: 'item', label: 'Write an item' },
  { id: 'regions', label: 'Regions and clocks' },
];

interface OpenHistory { table: string; keys: Item; rowId: string; timeline: KeyTimelineEntry[] | null; error: string | null }

export function App() {
  const { state, connected, error, addTable } = useLiveState();
  const [notice, setNotice] = useState<Notice | null>(null);
  const actions = useMemo(() => withNotices(liveActions, setNotice), []);
  const [table, setTable] = useState<string | null>(null);
  const [pair, setPair] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('links');
  const [history, setHistory] = useState<OpenHistory | null>(null);
  const [pointer, setPointer] = useState<DemoPointer | null>(null);

  const shownTable = table ?? state.tableNames[0] ?? null;
  useEffect(() => {
    if (!shownTable) return;
    fetchTable(shownTable).then(addTable).catch((e: Error) => setNotice({ text: `loading ${shownTable} failed: ${e.message}`, ok: false }));
  }, [shownTable]);

  const openHistory = (tableName: string, keys: Item, rowId: string) => {
    setHistory({ table: tableName, keys, rowId, timeline: null, error: null });
    actions.history(tableName, keys)
      .then((timeline) => setHistory((h) => (h?.rowId === rowId ? { ...h, timeline } : h)))
      .catch((e: Error) => setHistory((h) => (h?.rowId === rowId ? { ...h, error: e.message } : h)));
  };

  const pointedConflict = pointer ? state.conflicts.find((g) => g.table === pointer.table && g.rowId === pointer.rowId && !pointer.conflictsBefore.includes(g.id)) : undefined;
  useEffect(() => {
    if (pointedConflict) document.querySelector(`[data-conflict="${CSS.escape(pointedConflict.id)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [pointedConflict?.id]);

  return (
    <>
      <header class="app-header">
        <h1>globaltables console</h1>
        <span class={`connection ${connected ? 'ok' : 'error'}`}>{error ?? (connected ? '● live' : '○ connecting…')}</span>
        <ConvergenceBadges state={state} />
        <span class="spacer" />
        <span class={`notice ${notice?.ok === false ? 'error' : 'muted'}`} role="status" aria-live="polite">{notice?.text ?? ''}</span>
        <button type="button" class="heal" onClick={() => healEverything(actions, state.regionOrder.filter((r) => state.regions[r].up !== false))}>Heal everything</button>
      </header>
      <main class="layout">
        <div class="left">
          <section class="panel" aria-labelledby="graph-title">
            <h2 id="graph-title">Regions and links <span class="muted">(click a link for its controls)</span></h2>
            <RegionGraph state={state} selectedPair={pair} onSelectPair={(a, b) => { setPair(`${a}|${b}`); setTab('links'); }} />
          </section>
          <div class="panel"><LagChart state={state} height={112} /></div>
        </div>
        <div class="center">
          <section class="panel" aria-label="Table">
            <TableView state={state} table={shownTable} onSelectTable={(t) => { setTable(t); setHistory(null); }}
              selectedRowId={history?.table === shownTable ? history.rowId : null}
              highlightRowId={pointer && pointer.table === shownTable ? pointer.rowId : null}
              onSelectRow={(row) => shownTable && openHistory(shownTable, row.keys, row.id)} />
          </section>
          {history && (
            <div class="panel">
              <KeyHistory state={state} table={history.table} keys={history.keys} timeline={history.timeline} error={history.error} onClose={() => setHistory(null)} />
            </div>
          )}
        </div>
        <div class="right panel">
          <ConflictFeed state={state} highlightId={pointedConflict?.id ?? null}
            onSelectKey={(t, rowId) => { setTable(t); const row = state.tables[t]?.rows[rowId]; if (row) openHistory(t, row.keys, rowId); }} />
        </div>
        <section class="bottom panel" aria-label="Actions">
          <div class="tabs" role="tablist">
            {TABS.map((t) => (
              <button key={t.id} type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id} aria-controls="tab-panel" onClick={() => setTab(t.id)}>{t.label}</button>
            ))}
          </div>
          <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
            {tab === 'links' && <LinkControls state={state} actions={actions} selectedPair={pair} onSelectPair={(a, b) => setPair(`${a}|${b}`)} />}
            {tab === 'demo' && <RaceDemo state={state} actions={actions} onShowTable={(t) => { setTable(t); setHistory(null); }} onPoint={setPointer} />}
            {tab === 'item' && <ItemForm state={state} actions={actions} defaultTable={shownTable} />}
            {tab === 'regions' && <RegionControls state={state} actions={actions} />}
          </div>
        </section>
      </main>
    </>
  );
}
