/** Folding conflict events: one group per pair of writes, whichever regions detected it. */
import type { FeedConflict } from '../../../region/feedEvents.js';
import { LIMITS, type ConflictGroup, type ConsoleState } from './consoleState.js';
import type { Draft } from './draft.js';
import { keyId, versionId } from './keys.js';
import { draftRegion } from './regions.js';

export function applyConflict(draft: Draft<ConsoleState>, event: FeedConflict): void {
  draftRegion(draft, event.region);
  const c = event.conflict;
  const rowId = keyId(c.keys);
  const id = `${c.table}|${rowId}|${versionId(c.winner.version)}|${versionId(c.loser.version)}`;
  const groups = draft.child<ConflictGroup[]>(draft.root, 'conflicts');
  const at = groups.findIndex((g) => g.id === id);
  const detection = { region: c.detectedIn ?? event.region, atMs: c.detectedAtMs ?? event.atMs };
  if (at >= 0) {
    const group = draft.child<ConflictGroup>(groups, at);
    if (group.detected.some((d) => d.region === detection.region)) return;
    draft.child<ConflictGroup['detected']>(group, 'detected').push(detection);
    return;
  }
  groups.unshift(draft.adopt({
    id, table: c.table, keys: c.keys, rowId, winner: c.winner, loser: c.loser, reason: c.reason,
    ...(c.lostAttributes ? { lostAttributes: c.lostAttributes } : {}),
    explanation: event.conflict.explanation, detected: [detection], firstAtMs: detection.atMs,
  }));
  if (groups.length > LIMITS.conflicts) groups.length = LIMITS.conflicts;
}
