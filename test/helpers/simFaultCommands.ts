/**
 * Fault and time commands of the model-based test: virtual sleep, a directed link stalled (a
 * partition) or healed, data faults on a link (loss, duplication, reordering, latency), a region
 * or its bus crashed and restarted, a region's stream trimmed, a region's clock skew changed.
 */
import type { AsyncCommand } from 'fast-check';
import type { ModelState, RealCluster } from './simModel.js';
import { sleep, type RegionName } from './simGlobalTable.js';

type Command = AsyncCommand<ModelState, RealCluster>;

export class SleepCommand implements Command {
  constructor(readonly ms: number) {}
  check(): boolean { return true; }
  async run(_model: ModelState, { cluster }: RealCluster): Promise<void> {
    await cluster.run(sleep(cluster, this.ms));
  }
  toString(): string { return `sleep(${this.ms})`; }
}

export class PartitionCommand implements Command {
  constructor(readonly from: RegionName, readonly to: RegionName) {}
  check(): boolean { return true; }
  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    cluster.net.link(this.from, this.to).update({ stalled: true });
    model.faultyLinks.add(`${this.from}->${this.to}`);
  }
  toString(): string { return `partition(${this.from}->${this.to})`; }
}

export class HealLinkCommand implements Command {
  constructor(readonly from: RegionName, readonly to: RegionName) {}
  check(model: Readonly<ModelState>): boolean { return model.faultyLinks.has(`${this.from}->${this.to}`); }
  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    cluster.net.link(this.from, this.to).heal();
    model.faultyLinks.delete(`${this.from}->${this.to}`);
  }
  toString(): string { return `heal(${this.from}->${this.to})`; }
}

export interface DataFaults { lossRate: number; duplicateRate: number; reorderRate: number; latencyMs: number; jitterMs: number }

export class LinkFaultsCommand implements Command {
  constructor(readonly from: RegionName, readonly to: RegionName, readonly faults: DataFaults) {}
  check(): boolean { return true; }
  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    cluster.net.link(this.from, this.to).setFaults(this.faults);
    model.faultyLinks.add(`${this.from}->${this.to}`);
  }
  toString(): string {
    const f = this.faults;
    return `faults(${this.from}->${this.to}, loss ${f.lossRate.toFixed(2)}, dup ${f.duplicateRate.toFixed(2)}, reorder ${f.reorderRate.toFixed(2)}, ${f.latencyMs}±${f.jitterMs} ms)`;
  }
}

export class CrashRegionCommand implements Command {
  constructor(readonly region: RegionName) {}
  check(model: Readonly<ModelState>): boolean { return !model.down.has(this.region); }
  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    cluster.region(this.region).crash();
    model.down.add(this.region);
    model.crashes += 1;
  }
  toString(): string { return `crash(${this.region})`; }
}

export class RestartRegionCommand implements Command {
  constructor(readonly region: RegionName) {}
  check(model: Readonly<ModelState>): boolean { return model.down.has(this.region); }
  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    await cluster.run(cluster.region(this.region).start());
    model.down.delete(this.region);
  }
  toString(): string { return `restart(${this.region})`; }
}

/** Kills a region's bus; held, it stays down until restarted, otherwise its supervisor restarts it shortly. */
export class KillBusCommand implements Command {
  constructor(readonly region: RegionName, readonly hold: boolean) {}
  check(model: Readonly<ModelState>): boolean { return !model.busDown.has(this.region); }
  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    await cluster.run(cluster.busOf(this.region).kill(this.hold));
    if (this.hold) model.busDown.add(this.region);
    model.busKills += 1;
  }
  toString(): string { return `killBus(${this.region}${this.hold ? ', held' : ''})`; }
}

export class StartBusCommand implements Command {
  constructor(readonly region: RegionName) {}
  check(model: Readonly<ModelState>): boolean { return model.busDown.has(this.region); }
  async run(model: ModelState, { cluster }: RealCluster): Promise<void> {
    await cluster.run(cluster.busOf(this.region).start());
    model.busDown.delete(this.region);
  }
  toString(): string { return `startBus(${this.region})`; }
}

/**
 * The region's stream forgets everything it holds, as JetStream's max-age does after a long
 * outage: a replicator behind it must resync from the region's snapshot (items and tombstones with
 * their versions), never skip what it missed.
 */
export class TrimStreamCommand implements Command {
  constructor(readonly region: RegionName) {}
  check(): boolean { return true; }
  async run(_model: ModelState, { cluster }: RealCluster): Promise<void> {
    const bus = cluster.busOf(this.region);
    bus.trim(bus.messages().at(-1)?.seq ?? 0);
  }
  toString(): string { return `trimStream(${this.region})`; }
}

export class SkewCommand implements Command {
  constructor(readonly region: RegionName, readonly skewMs: number) {}
  check(model: Readonly<ModelState>): boolean { return !model.down.has(this.region); }
  async run(_model: ModelState, { cluster }: RealCluster): Promise<void> {
    cluster.region(this.region).clock.skewMs = this.skewMs;
  }
  toString(): string { return `skew(${this.region}, ${this.skewMs} ms)`; }
}
