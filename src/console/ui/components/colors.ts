/** One accent colour per region (never the link states' green, amber or red), and the link states'. */
import type { ConsoleState, LinkState } from '../state/index.js';

const REGION_COLOURS = ['#2563eb', '#9333ea', '#0891b2', '#db2777', '#4f46e5', '#475569', '#7c2d12', '#0f766e'];

export function regionColour(state: ConsoleState, region: string): string {
  const at = state.regionOrder.indexOf(region);
  return REGION_COLOURS[(at < 0 ? 0 : at) % REGION_COLOURS.length];
}

export const LINK_COLOURS: Record<LinkState, string> = {
  healthy: '#16a34a',
  latency: '#d97706',
  stalled: '#dc2626',
  partitioned: '#dc2626',
};

export const LINK_WORDS: Record<LinkState, string> = {
  healthy: 'healthy',
  latency: 'slow',
  stalled: 'stalled',
  partitioned: 'partitioned',
};
