/** Per table: whether the replicas agree, and since when, or how much is still on its way. */
import type { ConsoleState } from '../state/index.js';
import { clockText } from './format.js';

export function ConvergenceBadges({ state }: { state: ConsoleState }) {
  const tables = Object.values(state.convergence).sort((a, b) => (a.table < b.table ? -1 : 1));
  if (tables.length === 0) return null;
  return (
    <ul class="convergence" aria-label="Convergence per table">
      {tables.map((t) => (
        <li key={t.table} class={`badge ${t.agree ? 'agree' : 'differ'}`} data-table={t.table} data-agree={t.agree ? 'yes' : 'no'}>
          <strong>{t.table}</strong>: {t.agree
            ? `replicas agree${t.sinceMs !== null ? ` since ${clockText(t.sinceMs)}` : ''}`
            : `replicas differ${t.pending > 0 ? `: ${t.pending} pending` : ''}`}
        </li>
      ))}
    </ul>
  );
}
