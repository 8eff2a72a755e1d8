/**
 * Scenario targets on a simulated cluster: every step a real run takes, on virtual time. Calls go
 * straight to dispatch() and the admin routes, faults to the simulated network, bus and clocks;
 * `sleep` is virtual time, so a scenario plays in milliseconds and replays by seed.
 */
import type { Scenario } from '../scenario/schema.js';
import type { CallOptions, ScenarioRegionHandle, ScenarioTargets } from '../scenario/targets.js';
import { SimulatedCluster } from './cluster.js';
import type { SimRegion } from './region.js';

class SimRegionHandle implements ScenarioRegionHandle {
  constructor(private readonly region: SimRegion) {}

  get name(): string {
    return this.region.name;
  }

  get running(): boolean {
    return this.region.running;
  }

  call<T = Record<string, unknown>>(operation: string, body: unknown, options: CallOptions = {}): Promise<T> {
    // No client time-out here: a simulated call answers or its region is down.
    return this.region.call<T>(operation, body, options);
  }

  admin<T = unknown>(path: string, method?: string, body?: unknown): Promise<T> {
    return this.region.admin<T>(path, method, body);
  }

  async crash(): Promise<void> {
    this.region.crash();
  }

  start(): Promise<void> {
    return this.region.start();
  }
}

export async function startSimTargets(scenario: Scenario, seed: number): Promise<ScenarioTargets> {
  const cluster = await SimulatedCluster.start({
    seed,
    regions: scenario.regions.map((r) => ({
      name: r.name, clockMode: r.clock.mode, skewMs: r.clock.skewMs, granularity: scenario.granularity,
      ...(scenario.tombstoneRetentionMs === undefined ? {} : { settings: { tombstoneRetentionMs: scenario.tombstoneRetentionMs } }),
    })),
  });
  const regions = cluster.regions.map((r) => new SimRegionHandle(r));
  return {
    mode: 'sim',
    regions,
    region: (name) => regions.find((r) => r.name === name)!,
    running: () => regions.filter((r) => r.running),
    // Whole virtual milliseconds, as a region's clock reads them (the network's jitter is finer).
    nowMs: () => Math.floor(cluster.nowMs),
    sleep: (ms) => new Promise<void>((resolve) => { cluster.scheduler.schedule(Math.ceil(ms), resolve); }),
    drive: (work) => cluster.run(work()),
    traceHash: () => cluster.traceHash(),
    traceRead: (what) => cluster.trace('read', what),
    setLinkFaults: (from, to, faults) => { cluster.net.link(from, to).setFaults(faults); },
    // A simulated feed calls its listener as it goes, and at once when flushed: nothing is in flight.
    followFeeds: async (listener) => {
      const unsubscribes = cluster.regions.map((r) => r.subscribeFeed(listener));
      return {
        flush: () => { for (const region of cluster.regions) region.flushFeed(); },
        stop: async () => {
          for (const region of cluster.regions) region.flushFeed();
          for (const unsubscribe of unsubscribes) unsubscribe();
        },
      };
    },
    stop: async () => cluster.stop(),
    killNow: () => cluster.stop(),
  };
}
