/**
 * Real regions (own LMDB, own nats-server, HTTP) as the model-based test's cluster: DynamoDB calls
 * through the AWS SDK, admin calls over HTTP, link faults through each region's link proxies, and
 * the scenario step's drain on the wall clock. One cluster serves many histories, each on its own
 * global table, so `reset` puts every link and clock back to healthy between them.
 */
import { DeleteItemCommand, DynamoDBClient, DynamoDBServiceException, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Granularity } from '../../src/core/lww.js';
import type { ClockMode } from '../../src/core/version.js';
import { DynamoCallError, RegionUnreachableError } from '../../src/scenario/client.js';
import { behindOf } from '../../src/scenario/steps/drain.js';
import { startCluster, type TestCluster } from './cluster.js';
import { type ModelCluster, type ModelRegion, REGIONS } from './modelRegion.js';

/** The region whose clock is a wall clock, as in the simulated suite: a write there can lose at once. */
export const WALL_CLOCK_REGION = 'eu-west-1';
/** A call unanswered this long counts as a write of unknown outcome, as a client's time-out would. */
const CALL_TIMEOUT_MS = 10_000;
const DRAIN_POLL_MS = 20;

export class RealModelRegion implements ModelRegion {
  private readonly client: DynamoDBClient;

  constructor(readonly name: string, readonly config: { clockMode: ClockMode }, private readonly endpoint: string) {
    this.client = new DynamoDBClient({
      endpoint, region: name, credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      // One attempt: a retried write would be a second write the model never issued.
      maxAttempts: 1, requestHandler: { requestTimeout: CALL_TIMEOUT_MS, connectionTimeout: CALL_TIMEOUT_MS },
    });
  }

  async call<T = Record<string, unknown>>(operation: string, body: unknown): Promise<T> {
    // The model's requests are in the wire's shape, which is the shape of the SDK's inputs.
    const answer = this.send(operation, body as never);
    try {
      return await answer as T;
    } catch (error) {
      if (error instanceof DynamoDBServiceException) throw new DynamoCallError(error.name, error.message, error.$metadata.httpStatusCode ?? 0);
      throw new RegionUnreachableError(this.endpoint, { cause: error, detail: (error as Error).name });
    }
  }

  /** The SDK command for each operation the model uses (an unknown one throws at once, not as a failed call). */
  private send(operation: string, input: never): Promise<unknown> {
    switch (operation) {
      case 'PutItem': return this.client.send(new PutItemCommand(input));
      case 'UpdateItem': return this.client.send(new UpdateItemCommand(input));
      case 'DeleteItem': return this.client.send(new DeleteItemCommand(input));
      case 'GetItem': return this.client.send(new GetItemCommand(input));
      default: throw new Error(`no SDK command for ${operation} here`);
    }
  }

  async admin<T = unknown>(path: string, method = 'GET', body?: unknown): Promise<T> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${this.name} ${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  close(): void {
    this.client.destroy();
  }
}

export class RealModelCluster implements ModelCluster {
  readonly regions: RealModelRegion[];

  private constructor(readonly cluster: TestCluster) {
    this.regions = cluster.regions.map((r) => new RealModelRegion(r.name, { clockMode: r.region.ctx.clockState.mode }, r.region.endpoint));
  }

  static async start(granularity: Granularity): Promise<RealModelCluster> {
    const cluster = await startCluster([...REGIONS], { granularity }, (name) => (name === WALL_CLOCK_REGION ? { clockMode: 'wall' } : {}));
    return new RealModelCluster(cluster);
  }

  region(name: string): RealModelRegion {
    const region = this.regions.find((r) => r.name === name);
    if (!region) throw new Error(`no region ${name}`);
    return region;
  }

  /** Real work runs by itself: awaiting it is all. */
  run<T>(work: Promise<T>): Promise<T> {
    return work;
  }

  /** Every link healed (what it held flows) and every clock on true time; returns how many links held bytes back until then. */
  async reset(): Promise<number> {
    let holding = 0;
    for (const region of this.regions) {
      const { links } = await region.admin<{ links: { stats: { heldBytes: number } }[] }>('/admin/links');
      holding += links.filter((link) => link.stats.heldBytes > 0).length;
      await region.admin('/admin/links/heal', 'POST');
      await region.admin('/admin/clock', 'PUT', { skewMs: 0 });
    }
    return holding;
  }

  /** Waits until drained (the scenario step's rule); returns what is still behind when `limitMs` ran out (empty: drained). */
  async drain(limitMs: number): Promise<string[]> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const behind = await behindOf(this.regions);
      if (behind.length === 0 || Date.now() >= deadline) return behind;
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }

  async stop(): Promise<void> {
    for (const region of this.regions) region.close();
    await this.cluster.stop();
  }
}
