/** Conflicts newest first, one card per pair of writes, saying who won and why. */
import { keyText, writeId, type ConflictGroup, type ConsoleState } from '../state/index.js';
import type { WriteInfo } from '../../../core/lww.js';
import { regionColour } from './colors.js';
import { clockText, itemText, versionText } from './format.js';

export interface ConflictFeedProps {
  state: ConsoleState;
  /** A card the page points at (the guided demo's). */
  highlightId?: string | null;
  onSelectKey?: (table: string, rowId: string) => void;
}

export function ConflictFeed({ state, highlightId, onSelectKey }: ConflictFeedProps) {
  return (
    <section class="conflict-feed" aria-labelledby="conflicts-title">
      <h2 id="conflicts-title">Conflicts <span class="muted">({state.conflicts.length})</span></h2>
      <div class="cards" aria-live="polite" aria-relevant="additions">
        {state.conflicts.length === 0 && <p class="muted">No conflict yet. Two regions writing the same key while cut off from each other make one.</p>}
        {state.conflicts.map((group) => <ConflictCard key={group.id} state={state} group={group} pointed={group.id === highlightId} onSelectKey={onSelectKey} />)}
      </div>
    </section>
  );
}

function ConflictCard({ state, group, pointed, onSelectKey }: { state: ConsoleState; group: ConflictGroup; pointed: boolean; onSelectKey?: ConflictFeedProps['onSelectKey'] }) {
  const key = keyText(group.keys);
  return (
    <article class={`conflict-card${pointed ? ' pointed' : ''}`} data-conflict={group.id} aria-label={`Conflict on ${key} in ${group.table}`}>
      <p class="explanation">{group.explanation}</p>
      <dl class="writes">
        <Write state={state} group={group} label="winner" write={group.winner} />
        <Write state={state} group={group} label="loser" write={group.loser} />
      </dl>
      <p class="where">
        {onSelectKey
          ? <button type="button" class="link-button" onClick={() => onSelectKey(group.table, group.rowId)}>{group.table} · {key}</button>
          : <>{group.table} · {key}</>}
        {' '}· detected in {group.detected.map((d) => d.region).join(', ')} at {clockText(group.firstAtMs)}
      </p>
    </article>
  );
}

function Write({ state, group, label, write }: { state: ConsoleState; group: ConflictGroup; label: string; write: WriteInfo }) {
  const value = state.writes[writeId(group.table, group.rowId, write.version)];
  const keyNames = Object.keys(group.keys);
  return (
    <>
      <dt class={label}>{label}</dt>
      <dd>
        <strong style={{ color: regionColour(state, write.origin) }}>{write.origin}</strong>{' '}
        {value === undefined ? '' : value === null ? 'deleted ' : `${itemText(value, keyNames)} `}
        <span class="version">version {versionText(write.version)}, written {clockText(write.writtenAtMs, true)}</span>
      </dd>
    </>
  );
}
