/**
 * Fault and pacing commands of the real cluster's model-based test, through each region's admin
 * API: a directed link stalled (a partition, one way), healed or slowed (latency and jitter), a
 * region's clock skewed, a catch-up that waits until one region has applied what another logged
 * (so histories mix writes that saw each other with writes that did not), and concurrent writes
 * in two regions partitioned from each other.
 */
import type { AsyncCommand } from 'fast-check';
import { expect } from 'vitest';
import type { RegionName } from './modelRegion.js';
import { ConcurrentWritesCommand } from './modelWriteCommands.js';
import type { RealModelCluster } from './realModelCluster.js';
import type { ModelState, WriteSpec } from './simModel.js';

/** Counts over a history that show the faults did something (heldAtHeal: links that held bytes back until healed). */
export interface FaultTally { partitions: number; heldAtHeal: number; catchUps: number }

/** What the commands of one history run against: the shared cluster, and that history's own tally. */
export interface RealSystem { cluster: RealModelCluster; tally: FaultTally }
type Command = AsyncCommand<ModelState, RealSystem>;

/** The link carrying `from`'s changes to `to` is a proxy in `to`, named after its source. */
const linkPath = (from: string): string => `/admin/links/${from}`;

export class PartitionCommand implements Command {
  constructor(readonly from: RegionName, readonly to: RegionName) {}
  check(): boolean { return true; }
  async run(model: ModelState, { cluster, tally }: RealSystem): Promise<void> {
    await cluster.region(this.to).admin(linkPath(this.from), 'PUT', { stalled: true });
    model.faultyLinks.add(`${this.from}->${this.to}`);
    tally.partitions += 1;
  }
  toString(): string { return `partition(${this.from}->${this.to})`; }
}

export class HealLinkCommand implements Command {
  constructor(readonly from: RegionName, readonly to: RegionName) {}
  check(model: Readonly<ModelState>): boolean { return model.faultyLinks.has(`${this.from}->${this.to}`); }
  async run(model: ModelState, { cluster, tally }: RealSystem): Promise<void> {
    const view = await cluster.region(this.to).admin<{ stats: { heldBytes: number } }>(`${linkPath(this.from)}/heal`, 'POST');
    // What the link still held as it healed: the partition really kept changes (or heartbeats) back.
    if (view.stats.heldBytes > 0) tally.heldAtHeal += 1;
    model.faultyLinks.delete(`${this.from}->${this.to}`);
  }
  toString(): string { return `heal(${this.from}->${this.to})`; }
}

export class LatencyCommand implements Command {
  constructor(readonly from: RegionName, readonly to: RegionName, readonly latencyMs: number, readonly jitterMs: number) {}
  check(): boolean { return true; }
  async run(model: ModelState, { cluster }: RealSystem): Promise<void> {
    await cluster.region(this.to).admin(linkPath(this.from), 'PUT', { latencyMs: this.latencyMs, jitterMs: this.jitterMs });
    model.faultyLinks.add(`${this.from}->${this.to}`);
  }
  toString(): string { return `latency(${this.from}->${this.to}, ${this.latencyMs}±${this.jitterMs} ms)`; }
}

export class SkewCommand implements Command {
  constructor(readonly region: RegionName, readonly skewMs: number) {}
  check(): boolean { return true; }
  async run(_model: ModelState, { cluster }: RealSystem): Promise<void> {
    await cluster.region(this.region).admin('/admin/clock', 'PUT', { skewMs: this.skewMs });
  }
  toString(): string { return `skew(${this.region}, ${this.skewMs} ms)`; }
}

interface Progress { changeLog: { lastOwnLsn: number }; replication: { source: string; checkpoint: number; pending: number }[] }

/** Long enough for a healthy link to carry a few changes many times over; only a broken one takes longer. */
const CATCH_UP_LIMIT_MS = 15_000;

/** Waits (on the regions' own progress, not a timer) until `to` has applied every change `from`'s clients made so far. */
export class CatchUpCommand implements Command {
  constructor(readonly from: RegionName, readonly to: RegionName) {}
  check(model: Readonly<ModelState>): boolean { return !model.faultyLinks.has(`${this.from}->${this.to}`); }
  async run(_model: ModelState, { cluster, tally }: RealSystem): Promise<void> {
    const target = (await cluster.region(this.from).admin<Progress>('/admin/metrics')).changeLog.lastOwnLsn;
    const deadline = Date.now() + CATCH_UP_LIMIT_MS;
    for (;;) {
      const pair = (await cluster.region(this.to).admin<Progress>('/admin/metrics')).replication.find((p) => p.source === this.from);
      if (pair && pair.checkpoint >= target && pair.pending === 0) break;
      expect(Date.now(), `${this.to} applied ${this.from}'s changes up to lsn ${target} over a healthy link within ${CATCH_UP_LIMIT_MS} ms (at ${pair?.checkpoint})`).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    tally.catchUps += 1;
  }
  toString(): string { return `catchUp(${this.from}->${this.to})`; }
}

/**
 * Two regions cut off from each other both ways, then the same key written in both at once.
 * Unpartitioned, a real link carries one write to the other region within milliseconds, often
 * before the other write is read back, which then counts as overtaken and (per attribute) of
 * unknown outcome; cut off, both writes are known exactly, and per attribute both can survive.
 */
export class SplitWritesCommand implements Command {
  private readonly writes: ConcurrentWritesCommand;

  constructor(readonly regions: [RegionName, RegionName], pk: string, specs: [WriteSpec, WriteSpec]) {
    this.writes = new ConcurrentWritesCommand(regions, pk, specs);
  }

  check(): boolean { return true; }
  async run(model: ModelState, system: RealSystem): Promise<void> {
    const [first, second] = this.regions;
    await new PartitionCommand(first, second).run(model, system);
    await new PartitionCommand(second, first).run(model, system);
    await this.writes.run(model, system);
  }
  toString(): string { return `split(${this.writes.toString()})`; }
}
