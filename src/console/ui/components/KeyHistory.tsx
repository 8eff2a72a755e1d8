/** One key's history: a lane per region, a mark for every write, arrival, overwrite and loss. */
import { keyText, versionId, type ConsoleState, type KeyTimelineEntry } from '../state/index.js';
import { useState } from 'preact/hooks';
import type { Item } from '../../../core/types.js';
import { regionColour } from './colors.js';
import { clockText, itemText, lagText, versionText } from './format.js';

const WIDTH = 640;
const LANE_H = 34;
const LEFT = 110;
const RIGHT = 20;

export interface KeyHistoryProps {
  state: ConsoleState;
  table: string;
  keys: Item;
  /** null while it loads. */
  timeline: KeyTimelineEntry[] | null;
  error?: string | null;
  onClose?: () => void;
}

const KIND_WORDS: Record<KeyTimelineEntry['kind'], string> = { written: 'written', arrived: 'arrived', overwritten: 'overwritten', lost: 'lost' };

function entryText(e: KeyTimelineEntry): string {
  const value = e.item === null ? 'deleted' : itemText(e.item);
  const lag = e.lagMs !== undefined ? ` after ${lagText(e.lagMs)}` : '';
  const by = e.by ? ` by ${versionText(e.by)}` : '';
  return `${clockText(e.atMs, true)} ${e.region}: ${KIND_WORDS[e.kind]}${lag} ${value} (${versionText(e.version)})${by}${e.explanation ? ` — ${e.explanation}` : ''}`;
}

export function KeyHistory({ state, table, keys, timeline, error, onClose }: KeyHistoryProps) {
  const lanes = [...new Set([...state.regionOrder.filter((r) => timeline?.some((e) => e.region === r)), ...(timeline ?? []).map((e) => e.region)])];
  return (
    <section class="key-history" aria-label={`History of ${keyText(keys)} in ${table}`}>
      <div class="panel-head">
        <h2>History of {keyText(keys)} <span class="muted">in {table}</span></h2>
        {onClose && <button type="button" onClick={onClose}>Close</button>}
      </div>
      {error && <p class="error">{error}</p>}
      {!error && timeline === null && <p class="muted">Loading…</p>}
      {timeline && timeline.length === 0 && <p class="muted">No change of this key in the regions' logs.</p>}
      {timeline && timeline.length > 0 && (
        <>
          <Lanes state={state} lanes={lanes} timeline={timeline} />
          <ol class="history-list">
            {timeline.map((e, i) => <li key={i} class={`kind-${e.kind}`}>{entryText(e)}</li>)}
          </ol>
        </>
      )}
    </section>
  );
}

function Lanes({ state, lanes, timeline }: { state: ConsoleState; lanes: string[]; timeline: KeyTimelineEntry[] }) {
  const fromMs = Math.min(...timeline.map((e) => e.atMs));
  const toMs = Math.max(...timeline.map((e) => e.atMs));
  const spanMs = Math.max(toMs - fromMs, 1);
  const x = (ms: number) => LEFT + ((ms - fromMs) / spanMs) * (WIDTH - LEFT - RIGHT);
  const y = (region: string) => 14 + lanes.indexOf(region) * LANE_H + LANE_H / 2;
  const height = lanes.length * LANE_H + 30;
  const written = new Map(timeline.filter((e) => e.kind === 'written').map((e) => [versionId(e.version), e]));
  // A focused mark says what it is below the lanes (a tooltip shows only on hover).
  const [focused, setFocused] = useState<string | null>(null);
  return (
    <>
    <svg class="lanes" viewBox={`0 0 ${WIDTH} ${height}`} role="group" aria-label="Timeline, one lane per region">
      {lanes.map((r) => (
        <g key={r}>
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(r)} y2={y(r)} stroke="#cbd5e1" />
          <text x="6" y={y(r) + 4} class="lane-name" fill={regionColour(state, r)}>{r}</text>
        </g>
      ))}
      {timeline.filter((e) => e.kind === 'arrived').map((e, i) => {
        const from = written.get(versionId(e.version));
        return from ? <line key={`t${i}`} x1={x(from.atMs)} y1={y(from.region)} x2={x(e.atMs)} y2={y(e.region)} stroke={regionColour(state, e.origin)} stroke-opacity="0.45" stroke-dasharray="3 3" /> : null;
      })}
      {timeline.map((e, i) => <Mark key={i} entry={e} cx={x(e.atMs)} cy={y(e.region)} colour={regionColour(state, e.origin)} onFocus={setFocused} />)}
      <text x={LEFT} y={height - 4} class="axis">{clockText(fromMs, true)}</text>
      <text x={WIDTH - RIGHT} y={height - 4} class="axis" text-anchor="end">{clockText(toMs, true)}</text>
    </svg>
    <p class="mark-caption" aria-live="polite">{focused ?? 'Hover or focus a mark for what happened.'}</p>
    </>
  );
}

function Mark({ entry, cx, cy, colour, onFocus }: { entry: KeyTimelineEntry; cx: number; cy: number; colour: string; onFocus: (label: string | null) => void }) {
  const label = entryText(entry);
  const shape = (() => {
    switch (entry.kind) {
      case 'written': return <circle cx={cx} cy={cy} r="6" fill={colour} />;
      case 'arrived': return <path d={`M${cx - 6},${cy - 6} L${cx + 6},${cy - 6} L${cx},${cy + 5} z`} fill="#fff" stroke={colour} stroke-width="2" />;
      case 'overwritten': return <circle cx={cx} cy={cy} r="5" fill="#fff" stroke="#64748b" stroke-width="2" />;
      case 'lost': return <path d={`M${cx - 6},${cy - 6} L${cx + 6},${cy + 6} M${cx + 6},${cy - 6} L${cx - 6},${cy + 6}`} stroke="#dc2626" stroke-width="3" />;
    }
  })();
  return (
    <g class={`mark mark-${entry.kind}`} tabIndex={0} aria-label={label} onFocus={() => onFocus(label)} onBlur={() => onFocus(null)}
      onMouseEnter={() => onFocus(label)}>
      <title>{label}</title>
      {shape}
      {entry.kind === 'arrived' && entry.lagMs !== undefined && <text x={cx} y={cy + 16} class="mark-label" text-anchor="middle">{lagText(entry.lagMs)}</text>}
    </g>
  );
}
