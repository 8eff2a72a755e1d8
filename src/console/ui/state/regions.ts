/** Folding what the feeds say about regions: up or down, status, faults. */
import type { FeedFault, FeedStatus } from '../../../region/feedEvents.js';
import { emptyRegion, LIMITS, type ConsoleState, type RegionView } from './consoleState.js';
import type { Draft } from './draft.js';
import { pairId } from './keys.js';

/** The region's view in the draft, created (and put in the order) the first time it is named. */
export function draftRegion(draft: Draft<ConsoleState>, name: string): RegionView {
  const state = draft.root;
  const regions = draft.child<Record<string, RegionView>>(state, 'regions');
  if (!regions[name]) {
    regions[name] = draft.adopt(emptyRegion(name));
    draft.child<string[]>(state, 'regionOrder').push(name);
  }
  return draft.child<RegionView>(regions, name);
}

export function applyRegionUp(draft: Draft<ConsoleState>, name: string, up: boolean): void {
  draftRegion(draft, name).up = up;
}

export function applyStatus(draft: Draft<ConsoleState>, status: FeedStatus): void {
  const region = draftRegion(draft, status.region);
  region.up = true;
  region.lastStatusAtMs = status.atMs;
  region.items = status.items;
  region.tables = status.tables;
  region.clock = status.clock;
  region.conflicts = status.conflicts;
  region.links = Object.fromEntries(status.links.map((l) => [l.source, { source: l.source, latencyMs: l.latencyMs, jitterMs: l.jitterMs, stalled: l.stalled }]));
  region.replication = Object.fromEntries(status.replication.map((r) => [r.source, r]));
  for (const table of status.tables) addTableName(draft, table.name);
  addLagSamples(draft, status);
}

export function applyFault(draft: Draft<ConsoleState>, fault: FeedFault): void {
  const region = draftRegion(draft, fault.region);
  if (fault.link) {
    const { source, latencyMs, jitterMs, stalled } = fault.link;
    draft.child<RegionView['links']>(region, 'links')[source] = { source, latencyMs, jitterMs, stalled };
  }
  if (fault.clock) region.clock = fault.clock;
  const faults = draft.child<ConsoleState['faults']>(draft.root, 'faults');
  faults.unshift({ region: fault.region, atMs: fault.atMs, kind: fault.kind, text: fault.text });
  if (faults.length > LIMITS.faults) faults.length = LIMITS.faults;
}

export function addTableName(draft: Draft<ConsoleState>, table: string): void {
  if (draft.root.tableNames.includes(table)) return;
  const names = draft.child<string[]>(draft.root, 'tableNames');
  names.push(table);
  names.sort();
}

function addLagSamples(draft: Draft<ConsoleState>, status: FeedStatus): void {
  if (status.replication.length === 0) return;
  const samples = draft.child<ConsoleState['lagSamples']>(draft.root, 'lagSamples');
  for (const r of status.replication) {
    const pair = pairId(r.source, status.region);
    if (!draft.root.lagPairs.includes(pair)) {
      const pairs = draft.child<string[]>(draft.root, 'lagPairs');
      pairs.push(pair);
      pairs.sort();
    }
    samples.push({ atMs: status.atMs, pair, lagMs: r.lagMs.current });
  }
  // Old samples leave from the front: they arrive in time order (a status event a second per region).
  const oldestMs = status.atMs - LIMITS.lagWindowMs;
  let drop = 0;
  while (drop < samples.length && (samples[drop].atMs < oldestMs || samples.length - drop > LIMITS.lagSamples)) drop += 1;
  if (drop > 0) samples.splice(0, drop);
}
