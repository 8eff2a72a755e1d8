/** The regions side by side and the directed links between them, each drawn in its state. */
import { directedLinks, pendingInto, type ConsoleState, type DirectedLink } from '../state/index.js';
import { LINK_COLOURS, LINK_WORDS, regionColour } from './colors.js';
import { lagText, skewText } from './format.js';

const WIDTH = 400;
const HEIGHT = 210;
const NODE_W = 132;
const NODE_H = 58;

interface Point { x: number; y: number }

/** Nodes on a circle (the first at the left for two regions, at the top for more), stretched to fill the box. */
function layout(names: string[]): Map<string, Point> {
  const n = names.length;
  const start = n === 2 ? Math.PI : -Math.PI / 2;
  const raw = names.map((_, i) => ({ x: Math.cos(start + (2 * Math.PI * i) / n), y: Math.sin(start + (2 * Math.PI * i) / n) }));
  const fit = (values: number[], size: number, node: number) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const margin = node / 2 + 6;
    return values.map((v) => (hi - lo < 1e-6 ? size / 2 : margin + ((v - lo) / (hi - lo)) * (size - 2 * margin)));
  };
  const xs = fit(raw.map((p) => p.x), WIDTH, NODE_W);
  const ys = fit(raw.map((p) => p.y), HEIGHT, NODE_H);
  return new Map(names.map((name, i) => [name, { x: xs[i], y: ys[i] }]));
}

/** Where the line from a node's centre towards `to` leaves its box. */
function edgePoint(from: Point, to: Point): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const t = Math.min((NODE_W / 2 + 4) / Math.abs(dx || 1e-9), (NODE_H / 2 + 4) / Math.abs(dy || 1e-9));
  return { x: from.x + dx * t, y: from.y + dy * t };
}

export interface RegionGraphProps {
  state: ConsoleState;
  /** The pair whose controls are shown, as "a|b". */
  selectedPair?: string | null;
  onSelectPair?: (a: string, b: string) => void;
}

export function RegionGraph({ state, selectedPair, onSelectPair }: RegionGraphProps) {
  const names = state.regionOrder;
  const at = layout(names);
  const links = directedLinks(state);
  return (
    <svg class="region-graph" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={graphLabel(state, links)}>
      <defs>
        {Object.entries(LINK_COLOURS).map(([s, colour]) => (
          <marker id={`arrow-${s}`} key={s} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill={colour} />
          </marker>
        ))}
      </defs>
      {links.map((link) => <LinkLine key={link.id} link={link} labelled={link.state !== 'partitioned' || names.indexOf(link.source) < names.indexOf(link.target)} from={at.get(link.source)!} to={at.get(link.target)!}
        selected={selectedPair === pairKey(link.source, link.target, names)} onSelect={onSelectPair ? () => onSelectPair(...orderedPair(link.source, link.target, names)) : undefined} />)}
      {names.map((name) => <RegionNode key={name} state={state} name={name} at={at.get(name)!} />)}
    </svg>
  );
}

export const orderedPair = (a: string, b: string, order: string[]): [string, string] => (order.indexOf(a) <= order.indexOf(b) ? [a, b] : [b, a]);
export const pairKey = (a: string, b: string, order: string[]): string => orderedPair(a, b, order).join('|');

function graphLabel(state: ConsoleState, links: DirectedLink[]): string {
  const regions = state.regionOrder.map((n) => `${n} ${state.regions[n].up === false ? 'down' : 'up'}`).join(', ');
  const faulty = links.filter((l) => l.state !== 'healthy').map((l) => `${l.source} to ${l.target} ${LINK_WORDS[l.state]}`);
  return `Regions: ${regions}. Links: ${faulty.length ? faulty.join(', ') : 'all healthy'}.`;
}

/** `labelled`: a partition is one state of the pair, said once, not once per direction. */
function LinkLine({ link, from, to, selected, labelled, onSelect }: { link: DirectedLink; from: Point; to: Point; selected: boolean; labelled: boolean; onSelect?: () => void }) {
  // The two directions of a pair run side by side: each shifted to its own right.
  const len = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  const nx = -(to.y - from.y) / len * 7;
  const ny = (to.x - from.x) / len * 7;
  const a = edgePoint(from, to);
  const b = edgePoint(to, from);
  // A link to or from a region that is down carries nothing: grey, whatever its settings.
  const colour = link.regionDown ? '#94a3b8' : LINK_COLOURS[link.state];
  const label = !labelled ? '' : link.regionDown ? '' : link.state === 'healthy' ? (link.lagMs !== null ? lagText(link.lagMs) : '') : link.state === 'latency' ? `+${lagText(link.latencyMs)}` : LINK_WORDS[link.state];
  // A partition's one label sits on the pair's middle; the others beside their own direction.
  const shift = link.state === 'partitioned' ? 0 : 2.2;
  const mid = { x: (a.x + b.x) / 2 + nx * shift, y: (a.y + b.y) / 2 + ny * shift };
  const title = `${link.source} → ${link.target}: ${link.regionDown ? 'a region is down, ' : ''}${LINK_WORDS[link.state]}${link.latencyMs ? `, latency ${lagText(link.latencyMs)}` : ''}${link.lagMs !== null ? `, lag ${lagText(link.lagMs)}` : ''}, ${link.pending} pending`;
  return (
    <g class={`link link-${link.state}${link.regionDown ? ' link-down' : ''}${selected ? ' selected' : ''}`} data-link={link.id} data-state={link.state} onClick={onSelect}>
      <title>{title}</title>
      <line class="link-hit" x1={a.x + nx} y1={a.y + ny} x2={b.x + nx} y2={b.y + ny} />
      <line x1={a.x + nx} y1={a.y + ny} x2={b.x + nx} y2={b.y + ny} stroke={colour} stroke-width={selected ? 3.5 : 2.2}
        stroke-dasharray={link.regionDown ? '2 4' : link.state === 'stalled' || link.state === 'partitioned' ? '6 4' : undefined}
        marker-end={link.regionDown ? undefined : `url(#arrow-${link.state})`} />
      {label && <text x={mid.x} y={mid.y} class="link-label" fill={colour} text-anchor="middle" dominant-baseline="middle">{label}</text>}
    </g>
  );
}

function RegionNode({ state, name, at }: { state: ConsoleState; name: string; at: Point }) {
  const region = state.regions[name];
  const down = region.up === false;
  const colour = regionColour(state, name);
  const clock = region.clock ? `${region.clock.mode} · skew ${skewText(region.clock.skewMs)}` : 'clock unknown';
  return (
    <g class={`region-node${down ? ' down' : ''}`} data-region={name} transform={`translate(${at.x - NODE_W / 2},${at.y - NODE_H / 2})`}>
      <rect width={NODE_W} height={NODE_H} rx="8" fill={down ? '#f1f5f9' : '#fff'} stroke={down ? '#94a3b8' : colour} stroke-width="2" stroke-dasharray={down ? '4 3' : undefined} />
      <circle cx="12" cy="14" r="5" fill={down ? '#dc2626' : region.up ? '#16a34a' : '#94a3b8'} />
      <text x="22" y="18" class="node-name" fill={colour}>{name}</text>
      <text x="8" y="35" class="node-line">{down ? 'down' : `${region.items} ${region.items === 1 ? 'item' : 'items'} · ${pendingInto(state, name)} pending`}</text>
      <text x="8" y="50" class="node-line">{clock}</text>
    </g>
  );
}
