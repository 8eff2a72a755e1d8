/** Real targets: the scenario's regions as processes (ScenarioCluster), reached over HTTP, on the wall clock. */
import { callDynamo, RegionUnreachableError } from './client.js';
import { ScenarioCluster, type ScenarioRegion } from './cluster.js';
import { RealFeeds } from './realFeeds.js';
import type { FeedEvent } from '../region/feedEvents.js';
import type { Scenario } from './schema.js';
import { UnknownRegionError, type CallOptions, type FeedFollowing, type ScenarioRegionHandle, type ScenarioTargets } from './targets.js';

/** As long as a client waits for one DynamoDB call when the step names no timeout. */
const DEFAULT_CALL_TIMEOUT_MS = 10_000;

class RealRegionHandle implements ScenarioRegionHandle {
  /** Told when the region has started again (the run's feeds, when they are followed). */
  onStarted: ((name: string) => void) | undefined;

  constructor(private readonly region: ScenarioRegion) {}

  get name(): string {
    return this.region.name;
  }

  get running(): boolean {
    return this.region.running;
  }

  async call<T = Record<string, unknown>>(operation: string, body: unknown, options: CallOptions = {}): Promise<T> {
    // The region stamps its next write with this timestamp: the scenario's way to stage a conflict.
    return callDynamo<T>(this.region.endpoint, operation, body, options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, {
      ...(options.timestampMs !== undefined ? { timestampMs: options.timestampMs } : {}),
      adminToken: this.region.adminToken,
      ...(this.region.signing ? { signing: this.region.signing } : {}),
    }).catch((error: unknown) => {
      // A region that died by itself is a finding: the report says how it ended, not only that it is gone.
      const exit = this.region.unexpectedExit;
      if (error instanceof RegionUnreachableError && exit) throw new RegionUnreachableError(this.region.endpoint, { cause: error, detail: exit });
      throw error;
    });
  }

  admin<T = unknown>(path: string, method = 'GET', body?: unknown): Promise<T> {
    return this.region.admin<T>(path, method, body);
  }

  crash(): Promise<void> {
    return this.region.crash();
  }

  async start(): Promise<void> {
    await this.region.start();
    this.onStarted?.(this.name);
  }
}

export class RealTargets implements ScenarioTargets {
  readonly mode = 'real' as const;
  readonly regions: RealRegionHandle[];

  constructor(private readonly cluster: ScenarioCluster) {
    this.regions = cluster.regions.map((r) => new RealRegionHandle(r));
  }

  region(name: string): ScenarioRegionHandle {
    const found = this.regions.find((r) => r.name === name);
    if (!found) throw new UnknownRegionError(name);
    return found;
  }

  running(): ScenarioRegionHandle[] {
    return this.regions.filter((r) => r.running);
  }

  nowMs(): number {
    return Date.now();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Real time moves by itself: the work only has to be awaited. */
  drive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async followFeeds(listener: (event: FeedEvent) => void): Promise<FeedFollowing> {
    const feeds = new RealFeeds(this.cluster.regions.map((r) => ({ name: r.name, endpoint: r.endpoint, adminToken: r.adminToken, running: () => r.running })), listener);
    for (const handle of this.regions) handle.onStarted = (name) => feeds.restarted(name);
    await feeds.connected();
    return feeds;
  }

  stop(): Promise<void> {
    return this.cluster.stop();
  }

  killNow(): void {
    this.cluster.killNow();
  }
}

/** Starts every region of the scenario as its own process with its own nats-server; the seed plays no part here. */
export async function startRealTargets(scenario: Scenario): Promise<ScenarioTargets> {
  return new RealTargets(await ScenarioCluster.start(scenario));
}
