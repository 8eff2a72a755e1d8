/**
 * Which acknowledged writes did not survive, and why: lost in a conflict (concurrent, skew-inverted,
 * tie-break, from the conflict logs) or superseded by a later write that had seen them.
 */
import { overwriteClass, type OverwriteClass } from '../core/lww.js';
import type { ConflictEntry } from '../replication/conflicts.js';
import { marshalItem, unmarshalItem } from './client.js';
import type { RunContext } from './context.js';
import { keyText, type AcknowledgedWrite } from './recorder.js';

export interface OverwriteSummary {
  total: number;
  superseded: number;
  concurrent: number;
  skewInverted: number;
  tieBreak: number;
  /** The writes lost in conflicts, for the report. */
  lost: (AcknowledgedWrite & { class: OverwriteClass })[];
}

/** Every conflict logged in any running region, each once (the same pair may be seen in several regions). */
export async function allConflicts(ctx: RunContext): Promise<ConflictEntry[]> {
  const seen = new Map<string, ConflictEntry>();
  for (const region of ctx.targets.running()) {
    const { conflicts } = await region.admin<{ conflicts: ConflictEntry[] }>('/admin/conflicts?limit=100000');
    for (const c of conflicts) {
      const id = `${c.table}|${keyText(unmarshalItem(c.keys))}|${JSON.stringify(c.winner.version)}|${JSON.stringify(c.loser.version)}`;
      if (!seen.has(id)) seen.set(id, c);
    }
  }
  return [...seen.values()];
}

const within = (ms: number, write: AcknowledgedWrite): boolean => ms >= write.sentAtMs - 1 && ms <= write.ackedAtMs + 1;

interface StoredRecord {
  origin?: string;
  writtenAtMs?: number;
}

async function finalRecord(ctx: RunContext, table: string, key: string): Promise<StoredRecord | undefined> {
  for (const name of ctx.replicas.get(table) ?? []) {
    const region = ctx.targets.region(name);
    if (!region.running) continue;
    const query = `table=${encodeURIComponent(table)}&key=${encodeURIComponent(JSON.stringify(marshalItem(JSON.parse(key))))}`;
    const { record } = await region.admin<{ record: StoredRecord | null }>(`/admin/item?${query}`);
    return record ?? undefined;
  }
  return undefined;
}

export async function classifyOverwrites(ctx: RunContext): Promise<OverwriteSummary> {
  const conflicts = await allConflicts(ctx);
  const summary: OverwriteSummary = { total: 0, superseded: 0, concurrent: 0, skewInverted: 0, tieBreak: 0, lost: [] };
  const byKey = new Map<string, AcknowledgedWrite[]>();
  for (const write of ctx.recorder.writes) {
    const id = `${write.table}\n${write.key}`;
    const writes = byKey.get(id);
    if (writes) writes.push(write);
    else byKey.set(id, [write]);
  }
  const conflictsByKey = new Map<string, ConflictEntry[]>();
  for (const c of conflicts) {
    const id = `${c.table}\n${keyText(unmarshalItem(c.keys))}`;
    conflictsByKey.set(id, [...(conflictsByKey.get(id) ?? []), c]);
  }
  // Attribute-level merges keep parts of many writes, so only conflict losers count as overwritten there.
  const attributeLevel = ctx.scenario.granularity === 'attribute';
  for (const [id, writes] of byKey) {
    const [table, key] = id.split('\n');
    const final = attributeLevel ? undefined : await finalRecord(ctx, table, key);
    for (const write of writes) {
      const survived = final && final.origin === write.region && final.writtenAtMs !== undefined && within(final.writtenAtMs, write);
      if (survived) continue;
      const conflict = conflictsByKey.get(id)?.find((c) => c.loser.origin === write.region && within(c.loser.writtenAtMs, write));
      if (!conflict && attributeLevel) continue;
      const cls = overwriteClass(conflict);
      summary.total += 1;
      if (cls === 'superseded') summary.superseded += 1;
      else {
        if (cls === 'concurrent') summary.concurrent += 1;
        if (cls === 'skew-inverted') summary.skewInverted += 1;
        if (cls === 'tie-break') summary.tieBreak += 1;
        summary.lost.push({ ...write, class: cls });
      }
    }
  }
  return summary;
}
