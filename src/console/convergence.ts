/**
 * Whether the replicas of each table agree, and since when: every region holding it is up, has
 * nothing pending, and answers the same digest. Digests read a whole table, so a table is asked
 * again only after something happened to it (a change, a conflict, a region coming or going) or
 * every REFRESH_MS, not on every beat.
 */
import type { FeedStatus } from '../region/feedEvents.js';
import type { TableConvergence } from './consoleEvents.js';
import { adminRead, type ConsoleRegion } from './regionCalls.js';

const REFRESH_MS = 10_000;

interface DigestAnswer { tables: Record<string, { digest: string }> }

export class ConvergenceWatch {
  private readonly dirty = new Set<string>();
  private readonly known = new Map<string, { digests: Map<string, string | undefined>; checkedAtMs: number; sinceMs: number | null }>();

  constructor(private readonly regions: ConsoleRegion[], private readonly token: string | undefined, private readonly nowMs: () => number = Date.now) {}

  /** Something changed the table (or everything, without a name): its digests are asked again. */
  touch(table?: string): void {
    if (table === undefined) {
      this.known.clear();
      return;
    }
    this.dirty.add(table);
    // A change made the replicas differ, if only until it arrived everywhere: agreement starts again.
    const entry = this.known.get(table);
    if (entry) entry.sinceMs = null;
  }

  async check(statuses: Map<string, FeedStatus>, up: (region: string) => boolean): Promise<TableConvergence[]> {
    const holders = new Map<string, string[]>();
    for (const [region, status] of statuses) for (const table of status.tables) holders.set(table.name, [...(holders.get(table.name) ?? []), region]);
    const out: TableConvergence[] = [];
    for (const [table, holding] of [...holders].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const regions = holding.sort();
      const pending = regions.reduce((sum, r) => sum + statuses.get(r)!.replication.reduce((n, p) => n + p.pending, 0), 0);
      const allUp = regions.every(up);
      const digests = allUp && pending === 0 ? await this.digests(table, regions) : undefined;
      const values = digests ? [...digests.values()] : [];
      const agree = Boolean(digests) && values.every((d) => d !== undefined && d === values[0]);
      const entry = this.known.get(table);
      const sinceMs = agree ? entry?.sinceMs ?? this.nowMs() : null;
      if (entry) entry.sinceMs = sinceMs;
      out.push({ table, regions, agree, sinceMs, pending });
    }
    return out;
  }

  private async digests(table: string, regions: string[]): Promise<Map<string, string | undefined>> {
    const entry = this.known.get(table);
    const fresh = entry && !this.dirty.has(table) && this.nowMs() - entry.checkedAtMs < REFRESH_MS && regions.every((r) => entry.digests.has(r));
    if (fresh) return entry.digests;
    this.dirty.delete(table);
    const answers = await Promise.all(regions.map(async (name) => {
      const region = this.regions.find((r) => r.name === name);
      const answer = region && await adminRead<DigestAnswer>(region, this.token, `digest?table=${encodeURIComponent(table)}`);
      return [name, answer?.tables[table]?.digest] as const;
    }));
    const digests = new Map(answers);
    this.known.set(table, { digests, checkedAtMs: this.nowMs(), sinceMs: entry?.sinceMs ?? null });
    return digests;
  }
}
