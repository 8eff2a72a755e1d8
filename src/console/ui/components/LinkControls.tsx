/** Every pair of regions with each direction's state, and (live) the buttons that change them. */
import { directedLinks, regionPairs, type ConsoleState, type DirectedLink } from '../state/index.js';
import { healPair, partition, SLOW_LINK_MS, type ConsoleActions } from './actions.js';
import { LINK_COLOURS, LINK_WORDS } from './colors.js';
import { lagText } from './format.js';

export interface LinkControlsProps {
  state: ConsoleState;
  actions?: ConsoleActions;
  selectedPair?: string | null;
  onSelectPair?: (a: string, b: string) => void;
}

export function LinkControls({ state, actions, selectedPair, onSelectPair }: LinkControlsProps) {
  const pairs = regionPairs(state);
  if (pairs.length === 0) return <p class="muted">No links reported yet.</p>;
  const links = directedLinks(state);
  const [a, b] = pairs.find((p) => p.join('|') === selectedPair) ?? pairs[0];
  const direction = (source: string, target: string) => links.find((l) => l.source === source && l.target === target);
  return (
    <div class="link-controls">
      <label>
        Pair of regions{' '}
        <select value={`${a}|${b}`} onChange={(e) => onSelectPair?.(...((e.currentTarget.value.split('|')) as [string, string]))}>
          {pairs.map(([x, y]) => <option key={`${x}|${y}`} value={`${x}|${y}`}>{x} ⇄ {y}</option>)}
        </select>
      </label>
      <ul class="directions">
        <Direction link={direction(a, b)} source={a} target={b} />
        <Direction link={direction(b, a)} source={b} target={a} />
      </ul>
      {actions && (
        <div class="buttons" role="group" aria-label={`Links between ${a} and ${b}`}>
          <button type="button" onClick={() => partition(actions, a, b)}>Partition pair</button>
          <button type="button" onClick={() => actions.setLink(b, a, { stalled: true })}>Stall {a} → {b}</button>
          <button type="button" onClick={() => actions.setLink(a, b, { stalled: true })}>Stall {b} → {a}</button>
          <button type="button" onClick={() => actions.setLink(b, a, { latencyMs: SLOW_LINK_MS })}>Slow {a} → {b} ({SLOW_LINK_MS} ms)</button>
          <button type="button" onClick={() => actions.setLink(a, b, { latencyMs: SLOW_LINK_MS })}>Slow {b} → {a} ({SLOW_LINK_MS} ms)</button>
          <button type="button" class="heal" onClick={() => healPair(actions, a, b)}>Heal pair</button>
        </div>
      )}
    </div>
  );
}

function Direction({ link, source, target }: { link: DirectedLink | undefined; source: string; target: string }) {
  if (!link) return <li>{source} → {target}: not reported</li>;
  return (
    <li data-link={link.id} data-state={link.state}>
      <span class="swatch" style={{ background: LINK_COLOURS[link.state] }} aria-hidden="true" />
      {source} → {target}: <strong>{LINK_WORDS[link.state]}</strong>
      {link.latencyMs > 0 && <> (+{lagText(link.latencyMs)})</>}
      {link.lagMs !== null && <>, lag {lagText(link.lagMs)}</>}
      {link.pending > 0 && <>, {link.pending} pending</>}
      {link.connected === false && <>, not connected</>}
    </li>
  );
}
