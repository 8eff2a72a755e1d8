/**
 * Conflict accounting at item granularity, from the regions' conflict logs: every conflict logged
 * is one that happened (two acknowledged writes of one key, the winner newer and its writer not
 * having seen the loser), and every acknowledged write that did not survive is accounted for once —
 * superseded (a newer acknowledged write's writer held it or something newer) or the loser of a
 * logged conflict — so the counts add up.
 */
import { expect } from 'vitest';
import type { Version } from '../../src/core/types.js';
import { compareVersions } from '../../src/core/version.js';
import type { ModelRegion } from './modelRegion.js';
import { lastWriterOf, type AckedWrite, type ModelState, versionText } from './simModel.js';

interface LoggedConflict { reason: string; keys: { pk?: { S?: string } }; winner: { version: Version }; loser: { version: Version } }

export interface ConflictAccounting {
  /** Acknowledged writes that did not survive. */
  overwritten: number;
  superseded: number;
  /** Losers of a logged conflict (concurrent, skew-inverted or tie-break in a scenario report). */
  lostInConflicts: number;
}

const sawIt = (later: AckedWrite, earlier: AckedWrite): boolean => later.prevVersion !== undefined && compareVersions(later.prevVersion, earlier.version) >= 0;

/**
 * A delete whose tombstone was purged leaves nothing for a later writer to have seen: that writer
 * stores no previous version, and yet came after it (a tombstone goes only once every replica
 * holds it). Unless their states met and logged a conflict, the delete counts as superseded.
 */
const afterPurge = (later: AckedWrite, earlier: AckedWrite): boolean => earlier.kind === 'delete' && later.prevVersion === undefined;

export async function checkConflictAccounting(model: ModelState, regions: readonly ModelRegion[]): Promise<ConflictAccounting> {
  const logged = new Map<string, LoggedConflict>();
  for (const region of regions) {
    const { conflicts } = await region.admin<{ conflicts: LoggedConflict[] }>(`/admin/conflicts?table=${model.table}&limit=1000`);
    // The same conflict is usually detected in several regions: counted once.
    for (const c of conflicts) logged.set(`${c.keys.pk?.S}|${versionText(c.winner.version)}|${versionText(c.loser.version)}`, c);
  }
  const byVersion = new Map(model.writes.map((w) => [versionText(w.version), w]));
  for (const c of logged.values()) {
    const winner = byVersion.get(versionText(c.winner.version));
    const loser = byVersion.get(versionText(c.loser.version));
    // A write of unknown outcome has no version the model knows: nothing to hold it to.
    if (!winner || !loser) continue;
    const what = `logged conflict ${versionText(c.loser.version)} lost to ${versionText(c.winner.version)} (${c.reason})`;
    expect(winner.pk, `${what}: two writes of one key`).toBe(loser.pk);
    expect(compareVersions(winner.version, loser.version), `${what}: the winner is newer`).toBe(1);
    expect(sawIt(winner, loser), `${what}: its winner's writer had not seen the loser`).toBe(false);
  }
  const losers = new Set([...logged.values()].map((c) => versionText(c.loser.version)));
  const accounting: ConflictAccounting = { overwritten: 0, superseded: 0, lostInConflicts: 0 };
  for (const w of model.writes) {
    // A write of unknown outcome to the key may be what replaced it, having seen it or not.
    if (lastWriterOf(model, w.pk) === w || model.uncertainWrites.some((u) => u.pk === w.pk)) continue;
    accounting.overwritten += 1;
    const later = model.writes.filter((x) => x.pk === w.pk && compareVersions(x.version, w.version) > 0);
    if (later.some((x) => sawIt(x, w)) || (!losers.has(versionText(w.version)) && later.some((x) => afterPurge(x, w)))) accounting.superseded += 1;
    else {
      expect(losers.has(versionText(w.version)), `every overwritten write accounted for: ${w.tag} (${versionText(w.version)} in ${w.region}) was replaced by a write that had not seen it, and no conflict was logged`).toBe(true);
      accounting.lostInConflicts += 1;
    }
  }
  return accounting;
}
