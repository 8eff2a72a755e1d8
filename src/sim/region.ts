/**
 * One simulated region: the production region core (operations through dispatch(), commit and
 * change log, publisher, replicators, backfill, TTL sweep, retention, conflicts, metrics) on a
 * virtual clock, a memory store and the simulated bus and network, without HTTP or a process.
 * A crash kills its process (its timers never fire) and keeps only what the store committed.
 */
import { Hono } from 'hono';
import { dispatch } from '../dynamo/dispatch.js';
import { operations } from '../dynamo/ops/index.js';
import { mountAdmin, type AdminDeps } from '../http/admin.js';
import { createRegionCore, startRegionWork, type RegionCore } from '../region/regionCore.js';
import { Replication } from '../replication/replication.js';
import { peerHandlers, type PeerHandlers } from '../replication/peerHandlers.js';
import { crashMemoryStore, createMemoryStore, memoryDataOf, queuedWrites, type MemoryData } from '../storage/memory.js';
import type { RegionSettings } from '../dynamo/context.js';
import type { ClockMode } from '../core/version.js';
import type { Granularity } from '../core/lww.js';
import type { SimProcess, SimScheduler } from './scheduler.js';
import type { SimRandom } from './random.js';
import { VirtualClock } from './clock.js';
import { SimBus } from './bus.js';
import { SimWiring, type SimCluster } from './wiring.js';
import { dynamoCallErrorOf } from '../scenario/client.js';
import type { FeedListener } from '../region/eventFeed.js';

/** Every simulated region's admin token: the admin routes run guarded, as in a real cluster with one. */
export const SIM_ADMIN_TOKEN = 'simulated-cluster';

export class SimRegionDownError extends Error {
  constructor(region: string) {
    super(`region ${region} is down`);
    this.name = 'SimRegionDownError';
  }
}

export interface SimRegionConfig {
  name: string;
  clockMode: ClockMode;
  skewMs: number;
  granularity: Granularity;
  settings?: Partial<RegionSettings>;
}

interface Incarnation {
  process: SimProcess;
  clock: VirtualClock;
  core: RegionCore;
  wiring: SimWiring;
  app: Hono;
  handlers: PeerHandlers;
}

export class SimRegion {
  /** What the store committed: it outlives crashes, as LMDB's files do. */
  private data: MemoryData | undefined;
  readonly bus: SimBus;
  private live: Incarnation | undefined;
  private incarnations = 0;
  /** Crashes that lost writes asked for and not yet committed (a commit group cut short). */
  crashesMidCommit = 0;
  /** Who follows the region's event feed, across crashes: each incarnation's feed is subscribed anew. */
  private readonly feedListeners = new Map<FeedListener, () => void>();

  constructor(readonly config: SimRegionConfig, private readonly cluster: SimCluster, private readonly scheduler: SimScheduler, private readonly random: SimRandom) {
    this.bus = new SimBus(new VirtualClock(scheduler));
  }

  get name(): string {
    return this.config.name;
  }

  get running(): boolean {
    return this.live !== undefined;
  }

  /** The peer-facing handlers while the region is up, one object per incarnation (a crashed region refuses calls). */
  handlers(): PeerHandlers | undefined {
    return this.live?.handlers;
  }

  async start(): Promise<void> {
    if (this.live) return;
    this.incarnations += 1;
    const process = this.scheduler.process(`${this.name}#${this.incarnations}`);
    const clock = new VirtualClock(this.scheduler, { skewMs: this.config.skewMs, owner: process });
    const store = createMemoryStore({ data: this.data, defer: (fn) => { clock.schedule(fn, 0); } });
    this.data = memoryDataOf(store);
    const wiring = new SimWiring(this.cluster, this.name, clock);
    const log = (message: string): void => this.cluster.log(`[${this.name}] ${message}`);
    const core = createRegionCore({
      name: this.name,
      store,
      clock,
      // A restarted region draws new ids, as a restarted process would.
      ids: this.random.split(`ids#${this.incarnations}`),
      clockMode: this.config.clockMode,
      granularity: this.config.granularity,
      settings: this.config.settings,
      replication: (ctx, conflicts) => new Replication(ctx, conflicts, wiring, log, { onApplied: (source, tally) => this.cluster.applied(source, this.name, tally) }),
    });
    const deps: AdminDeps = { ctx: core.ctx, conflicts: core.conflicts, replication: core.replication, feed: core.feed, nats: this.bus, adminToken: SIM_ADMIN_TOKEN };
    const app = new Hono();
    mountAdmin(app, deps);
    const handlers = peerHandlers(deps);
    this.live = { process, clock, core, wiring, app, handlers };
    for (const listener of this.feedListeners.keys()) this.feedListeners.set(listener, core.feed.subscribe(listener));
    // A crash never stops the work cleanly: killing the process is what ends it.
    const work = await startRegionWork(core, this.bus, log);
    deps.publisher = work.publisher;
  }

  /** Kills the region: its timers never fire, deliveries to it are dropped, only committed data stays. */
  crash(): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    // A crash that cuts a commit group short is the one that tests recovery: counted for coverage.
    if (queuedWrites(live.core.ctx.store) > 0) this.crashesMidCommit += 1;
    live.process.kill();
    live.wiring.kill();
    // The dead feed's subscriptions are dropped; the next incarnation's feed takes the listeners.
    live.core.feed.close();
    for (const listener of this.feedListeners.keys()) this.feedListeners.set(listener, () => {});
    // Whatever the dead region's code still asks of its store (a late answer from a peer resuming it) never commits.
    this.data = crashMemoryStore(live.core.ctx.store);
  }

  /**
   * Follows the region's event feed while it runs, and again after each restart (a new `hello` then
   * says where the new incarnation starts); what happens while it is down is not told. Returns the unsubscribe.
   */
  subscribeFeed(listener: FeedListener): () => void {
    this.feedListeners.set(listener, this.live?.core.feed.subscribe(listener) ?? (() => {}));
    return () => {
      this.feedListeners.get(listener)?.();
      this.feedListeners.delete(listener);
    };
  }

  private up(): Incarnation {
    if (!this.live) throw new SimRegionDownError(this.name);
    return this.live;
  }

  get clock(): VirtualClock {
    return this.up().clock;
  }

  /** One DynamoDB API call, as the HTTP front door would make it; a DynamoDB error answer throws DynamoCallError. */
  async call<T = Record<string, unknown>>(operation: string, body: unknown, options: { timestampMs?: number } = {}): Promise<T> {
    const { core } = this.up();
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const result = await dispatch(core.ctx, operations, operation, bytes, options.timestampMs !== undefined ? { timestampMs: options.timestampMs } : {});
    this.cluster.trace('call', this.name, operation, result.status, JSON.stringify(result.body));
    // The error class a client over HTTP gets, so scenarios and tests handle both modes alike.
    if (result.status !== 200) throw dynamoCallErrorOf(result.body, result.status);
    return result.body as T;
  }

  /** One admin API call, through the same routes a real region serves. */
  async admin<T = unknown>(path: string, method = 'GET', body?: unknown): Promise<T> {
    const { app } = this.up();
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${SIM_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${this.name} ${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
