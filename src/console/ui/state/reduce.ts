/** The one reducer: every event the console or a replay reads, folded into ConsoleState. */
import { applyConflict } from './conflicts.js';
import type { ConsoleState, RegionView } from './consoleState.js';
import { Draft } from './draft.js';
import type { ClusterInfo, ConsoleEvent, TableResponse } from './events.js';
import { applyFault, applyRegionUp, applyStatus, addTableName, draftRegion } from './regions.js';
import { applyTable, applyChange } from './tables.js';

function apply(draft: Draft<ConsoleState>, event: ConsoleEvent): void {
  const state = draft.root;
  if (event.atMs > state.nowMs) state.nowMs = event.atMs;
  switch (event.type) {
    case 'hello':
      applyRegionUp(draft, event.region, true);
      return;
    case 'region':
      applyRegionUp(draft, event.region, event.up);
      return;
    case 'status':
      applyStatus(draft, event);
      return;
    case 'fault':
      applyFault(draft, event);
      return;
    case 'change':
      applyChange(draft, event);
      return;
    case 'changesSkipped':
      state.skippedChanges += event.toLsn - event.fromLsn + 1;
      return;
    case 'conflict':
      applyConflict(draft, event);
      return;
    case 'convergence': {
      const convergence = draft.child<ConsoleState['convergence']>(state, 'convergence');
      for (const table of event.tables) {
        convergence[table.table] = { ...table, atMs: event.atMs };
        addTableName(draft, table.table);
      }
      return;
    }
    default:
      // A recorded run holds other events too (steps, divergence windows): not the state's business.
      return;
  }
}

/** Folds a batch of events (in time order); the state given is not changed. */
export function reduceAll(state: ConsoleState, events: readonly ConsoleEvent[]): ConsoleState {
  if (events.length === 0) return state;
  const draft = new Draft(state);
  for (const event of events) apply(draft, event);
  return draft.root;
}

export const reduce = (state: ConsoleState, event: ConsoleEvent): ConsoleState => reduceAll(state, [event]);

/** The regions and tables the console server knows, in its order, before any event. */
export function loadCluster(state: ConsoleState, cluster: ClusterInfo): ConsoleState {
  const draft = new Draft(state);
  for (const r of cluster.regions) {
    const region: RegionView = draftRegion(draft, r.name);
    region.endpoint = r.endpoint;
    region.controllable = r.controllable;
    if (r.up !== undefined && region.up === null) region.up = r.up;
  }
  const known = cluster.regions.map((r) => r.name);
  draft.root.regionOrder = [...known, ...draft.root.regionOrder.filter((n) => !known.includes(n))];
  for (const table of cluster.tables ?? []) addTableName(draft, table);
  return draft.root;
}

/** A table's rows from /api/table; change events folded before or after it keep the newer state. */
export function loadTable(state: ConsoleState, response: TableResponse): ConsoleState {
  const draft = new Draft(state);
  applyTable(draft, response);
  return draft.root;
}
