/**
 * A region's replication: for every peer a link (a fault-injecting TCP proxy in front of the peer's
 * nats-server) and a replicator through it; global table membership; conflicts and metrics.
 */
import type { PeerConfig } from '../config/regionConfig.js';
import type { RegionContext } from '../dynamo/context.js';
import type { PeerTable, ReplicationControl } from '../dynamo/replicationControl.js';
import type { TableMeta } from '../dynamo/tables.js';
import { closeStream } from '../streams/registry.js';
import { LinkProxy } from '../nats/linkProxy.js';
import type { ConflictLog } from './conflicts.js';
import { PairMetrics, type PairStatus } from './metrics.js';
import { HttpPeerTransport } from './peers.js';
import { PeerRequestError, type PeerTransport } from './peerTransport.js';
import { acceptReplica, announceLegacyMembership, coordinateCreate, coordinateDelete, setLegacyMembership, setMembership, type Membership, type MembershipDeps, type ReplicaSchema } from './replicas.js';
import { checkpointKey, RECEIVE_LIMITS, Replicator } from './replicator.js';
import { NatsChangeSource } from './natsChangeSource.js';
import { mergeSnapshot, takeSnapshot, type TableSnapshot } from './snapshot.js';

/** How often a disconnected replicator's peer is asked again where its nats-server is (it may have moved). */
const RESOLVE_INTERVAL_MS = 2000;
/** Until a peer has answered once (it may still be starting), it is asked far more often. */
const FIRST_RESOLVE_INTERVAL_MS = 100;
/** Changes waiting to be applied from one source above which the region counts as catching up. */
const CATCH_UP_PENDING = 2000;
/** Where a link points before its peer has said where its nats-server is: nothing listens there. */
const UNRESOLVED = { host: '127.0.0.1', port: 9 };

interface Pair {
  peer: HttpPeerTransport;
  link: LinkProxy;
  target?: string;
  /** A question to the peer is under way (it may take until its time-out). */
  resolving?: Promise<void>;
  metrics: PairMetrics;
  changeSource: NatsChangeSource;
  replicator: Replicator;
}

export class Replication implements ReplicationControl {
  readonly conflicts: ConflictLog;
  private readonly pairs = new Map<string, Pair>();
  private readonly timers: (() => void)[] = [];
  private readonly tasks = new Set<Promise<unknown>>();

  private constructor(readonly ctx: RegionContext, conflicts: ConflictLog, private readonly log: (message: string) => void, private readonly adminToken?: string) {
    this.conflicts = conflicts;
  }

  /** `conflicts` is the region's own log, which local writes record into too; `adminToken` is sent on every call to a peer. */
  static async start(ctx: RegionContext, conflicts: ConflictLog, peers: PeerConfig[], log: (message: string) => void = console.error, adminToken?: string): Promise<Replication> {
    const replication = new Replication(ctx, conflicts, log, adminToken);
    for (const config of peers.filter((p) => p.name !== ctx.region)) await replication.addPeer(config);
    return replication;
  }

  private async addPeer(config: PeerConfig): Promise<void> {
    const peer = new HttpPeerTransport(config, this.adminToken);
    const link = await LinkProxy.start({ target: UNRESOLVED, name: `${config.name}->${this.ctx.region}` });
    const metrics = new PairMetrics(config.name, () => this.ctx.clock.trueNowMs());
    let lastError = '';
    const changeSource = new NatsChangeSource(link.url, { source: config.name, ...RECEIVE_LIMITS, onHeartbeat: (heartbeat) => metrics.heard(heartbeat) });
    const replicator = new Replicator({
      ctx: this.ctx,
      source: config.name,
      changeSource,
      conflicts: this.conflicts,
      metrics,
      resync: () => this.resyncFrom(config.name),
      onError: (error) => {
        const message = (error as Error).message ?? String(error);
        if (message !== lastError) this.log(`replication from ${config.name}: ${message} (retrying)`);
        lastError = message;
      },
    });
    const pair: Pair = { peer, link, metrics, changeSource, replicator };
    this.pairs.set(config.name, pair);
    // Not awaited: a peer that is slow to answer must not hold up this region's start; the
    // replicator keeps trying the link until it points somewhere.
    void this.resolve(pair);
    replicator.start();
    let lastAskedMs = Date.now();
    const timer = setInterval(() => {
      const due = pair.target === undefined || Date.now() - lastAskedMs >= RESOLVE_INTERVAL_MS;
      if (metrics.connected || !due) return;
      lastAskedMs = Date.now();
      void this.resolve(pair);
    }, FIRST_RESOLVE_INTERVAL_MS);
    timer.unref();
    this.timers.push(() => clearInterval(timer));
  }

  /** Points the link at the peer's nats-server, wherever it is now. */
  private resolve(pair: Pair): Promise<void> {
    pair.resolving ??= this.ask(pair).finally(() => { pair.resolving = undefined; });
    return pair.resolving;
  }

  private async ask(pair: Pair): Promise<void> {
    try {
      const url = new URL(await pair.peer.natsUrl());
      if (url.href === pair.target) return;
      pair.target = url.href;
      pair.link.setTarget({ host: url.hostname, port: Number(url.port || 4222) });
    } catch {
      // The peer is not up yet, or moved: asked again while the replicator is disconnected.
    }
  }

  peerNames(): string[] {
    return [...this.pairs.keys()];
  }

  peer(name: string): PeerTransport | undefined {
    return this.pairs.get(name)?.peer;
  }

  link(name: string): LinkProxy | undefined {
    return this.pairs.get(name)?.link;
  }

  links(): LinkProxy[] {
    return [...this.pairs.values()].map((p) => p.link);
  }

  /**
   * A replicator has a large backlog to apply (after a partition, a restart, a new replica). What
   * a stuck source could not publish is no backlog here: nothing can be applied of it yet.
   */
  catchingUp(): boolean {
    for (const pair of this.pairs.values()) if (pair.metrics.streamPending > CATCH_UP_PENDING) return true;
    return false;
  }

  pairMetrics(): PairMetrics[] {
    return [...this.pairs.values()].map((p) => p.metrics);
  }

  status(): PairStatus[] {
    return [...this.pairs.values()].map((p) => p.metrics.status());
  }

  private deps(): MembershipDeps {
    return {
      ctx: this.ctx,
      conflicts: this.conflicts,
      peer: (name) => this.peer(name),
      changeSource: (name) => this.pairs.get(name)?.changeSource,
      log: this.log,
    };
  }

  /** Runs a membership task in the background; its failure is reported, never thrown at a client. */
  private background(what: string, task: Promise<unknown>): void {
    const tracked = task.catch((error) => this.log(`${what} failed: ${(error as Error).message}`));
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }

  createReplica(table: TableMeta, region: string): void {
    this.background(`creating the replica of ${table.name} in ${region}`, coordinateCreate(this.deps(), table.name, region));
  }

  deleteReplica(table: TableMeta, region: string): void {
    this.background(`deleting the replica of ${table.name} in ${region}`, coordinateDelete(this.deps(), table.name, region));
  }

  /** This region's replica of a global table was deleted here: the others stop replicating with it. */
  tableDeleted(table: TableMeta): void {
    if (!table.replicas) return;
    const members = { ...table.replicas };
    delete members[this.ctx.region];
    const deps = this.deps();
    for (const region of Object.keys(members)) {
      this.background(`telling ${region} that ${table.name} left`, deps.peer(region)!.membership({ table: table.name, members }));
    }
  }

  peerTable(region: string, table: string): Promise<PeerTable | undefined> {
    return this.peer(region)!.table(table);
  }

  announceLegacyMembership(table: string, members: Membership, regions: string[]): Promise<void> {
    return announceLegacyMembership(this.deps(), table, members, regions);
  }

  /** Peer-facing handlers (the admin API calls these). */
  acceptReplica(schema: ReplicaSchema, members: Membership, coordinator: string): Promise<void> {
    return acceptReplica(this.deps(), schema, members, coordinator);
  }

  acceptMembership(table: string, members: Membership): Promise<void> {
    return setMembership(this.ctx, table, members);
  }

  acceptLegacyMembership(table: string, members: Membership): Promise<void> {
    return setLegacyMembership(this.ctx, table, members);
  }

  async dropReplica(table: string): Promise<void> {
    await this.ctx.store.write((txn) => {
      const meta = txn.getTable<TableMeta>(table);
      if (!meta) return;
      closeStream(this.ctx, txn, table);
      txn.clearItems(meta.id);
      txn.removeTable(table);
    });
  }

  snapshot(table: string): TableSnapshot | undefined {
    const meta = this.ctx.store.read((txn) => txn.getTable<TableMeta>(table));
    if (!meta || meta.deleting) return undefined;
    return takeSnapshot(this.ctx, meta, this.peerNames());
  }

  /** Rebuilds every table shared with a source from its snapshots; returns the source sequence they all reflect. */
  private async resyncFrom(source: string): Promise<number> {
    const pair = this.pairs.get(source)!;
    const tables = this.ctx.store.read((txn) => txn.listTableNames()
      .map((name) => txn.getTable<TableMeta>(name)!)
      .filter((meta) => !meta.deleting && meta.replicas && Object.hasOwn(meta.replicas, source)));
    let position: number | undefined;
    for (const meta of tables) {
      const snapshot = await pair.peer.snapshot(meta.name);
      // The source dropped the table since: asked again when the resync is retried.
      if (!snapshot) throw new PeerRequestError(`region ${source} has no table ${meta.name} to resync from`, 404);
      await mergeSnapshot(this.ctx, this.conflicts, snapshot);
      const reflected = snapshot.positions[source] ?? 0;
      position = position === undefined ? reflected : Math.min(position, reflected);
    }
    if (position === undefined) {
      // Nothing is shared with the source: what it trimmed concerns no table here.
      position = (await pair.peer.info()).lastLsn;
    }
    const resumeAt = position;
    await this.ctx.store.write((txn) => txn.putMeta(checkpointKey(source), resumeAt));
    this.log(`replication from ${source}: resynced ${tables.length} table(s) from snapshots, resuming after ${resumeAt}`);
    return resumeAt;
  }

  async close(): Promise<void> {
    for (const stop of this.timers) stop();
    await Promise.all([...this.pairs.values()].map((p) => p.replicator.stop()));
    await Promise.all([...this.pairs.values()].map((p) => p.link.close()));
  }
}
