/**
 * A simulated cluster: N production regions on one scheduler, one seeded random source split per
 * component, one simulated network, and a trace hash over everything delivered, applied and read.
 * Same seed, same everything: the hash says so.
 */
import type { ApplyTally } from '../replication/apply.js';
import type { PeerHandlers } from '../replication/peerHandlers.js';
import type { SimBus } from './bus.js';
import { SimNetwork } from './network.js';
import { SimRandom } from './random.js';
import { SimRegion, type SimRegionConfig } from './region.js';
import { SimScheduler } from './scheduler.js';
import { TraceHash } from './trace.js';
import type { SimCluster } from './wiring.js';

/** Virtual time starts here in every run (2026-01-01T00:00:00Z): a fixed epoch, so timestamps replay too. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

export interface SimulatedClusterOptions {
  seed: number;
  regions: SimRegionConfig[];
  /** Region log lines (default: dropped; a simulated run is judged by its report). */
  log?: (line: string) => void;
}

export class SimulatedCluster implements SimCluster {
  readonly scheduler = new SimScheduler(SIM_EPOCH_MS);
  readonly random: SimRandom;
  readonly net: SimNetwork;
  readonly regions: SimRegion[];
  private readonly hash = new TraceHash();
  private readonly logLine: (line: string) => void;

  constructor(options: SimulatedClusterOptions) {
    this.random = new SimRandom(options.seed);
    this.net = new SimNetwork(this.scheduler, this.random.split('network'));
    this.net.onDeliver = (from, to, bytes) => this.trace('deliver', from, to, bytes);
    this.logLine = options.log ?? (() => {});
    this.regions = options.regions.map((config) => new SimRegion(config, this, this.scheduler, this.random.split(`region:${config.name}`)));
  }

  /** Starts every region; resolves once they all run. */
  static async start(options: SimulatedClusterOptions): Promise<SimulatedCluster> {
    const cluster = new SimulatedCluster(options);
    await cluster.run(Promise.all(cluster.regions.map((r) => r.start())));
    return cluster;
  }

  /** Drives virtual time until `work` settles. */
  run<T>(work: Promise<T>): Promise<T> {
    return this.scheduler.run(work);
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  region(name: string): SimRegion {
    const region = this.regions.find((r) => r.name === name);
    if (!region) throw new Error(`no region ${name} in this cluster`);
    return region;
  }

  regionNames(): string[] {
    return this.regions.map((r) => r.name);
  }

  busOf(region: string): SimBus {
    return this.region(region).bus;
  }

  handlersOf(region: string): PeerHandlers | undefined {
    return this.region(region).handlers();
  }

  applied(source: string, target: string, tally: ApplyTally): void {
    this.trace('applied', source, target, tally.applied, tally.skipped, tally.ignored, tally.conflicts.length, tally.committedAtMs.join(','));
  }

  /** Feeds one event into the trace hash, with the virtual time it happened at. */
  trace(...parts: (string | number)[]): void {
    this.hash.add(this.scheduler.nowMs, ...parts);
  }

  traceHash(): string {
    return this.hash.hex();
  }

  log(line: string): void {
    this.logLine(line);
  }

  /** Ends the run: every region's process is killed (nothing of a finished run needs a clean stop). */
  stop(): void {
    for (const region of this.regions) region.crash();
  }
}
