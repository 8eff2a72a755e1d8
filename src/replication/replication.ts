/**
 * A region's replication: for every peer its connection (the link its changes travel, the change
 * source reading them, the peer protocol's transport; see peerWiring.ts) and a replicator through
 * it; global table membership; conflicts and metrics. The same code in a real region (NatsWiring)
 * and in the simulator (SimWiring).
 */
import type { IndexChangeRequest } from '../dynamo/indexes/indexSync.js';
import { clearIndexEntries } from '../dynamo/indexes/maintain.js';
import { indexesOf } from '../dynamo/indexes/indexMeta.js';
import type { RegionContext } from '../dynamo/context.js';
import type { PeerTable, ReplicationControl } from '../dynamo/replicationControl.js';
import type { ReplicaSettingsChange } from '../dynamo/replicaSettings.js';
import type { TableMeta } from '../dynamo/tables.js';
import type { Link } from '../nats/link.js';
import { closeStream } from '../streams/registry.js';
import type { ApplyTally } from './apply.js';
import type { ConflictLog } from './conflicts.js';
import { PairMetrics, type PairStatus } from './metrics.js';
import { PeerRequestError, type PeerTransport } from './peerTransport.js';
import type { PeerConnection, PeerWiring } from './peerWiring.js';
import { acceptReplica, broadcastIndexChange, announceLegacyMembership, coordinateCreate, coordinateDelete, setLegacyMembership, setMembership, type Membership, type MembershipDeps, type ReplicaSchema } from './replicas.js';
import { RECEIVE_LIMITS, Replicator, writeProgress } from './replicator.js';
import { mergeSnapshot, takeSnapshot, type TableSnapshot } from './snapshot.js';
import { TombstoneStability } from './tombstoneStability.js';

/** Changes waiting to be applied from one source above which the region counts as catching up. */
const CATCH_UP_PENDING = 2000;

interface Pair {
  connection: PeerConnection;
  metrics: PairMetrics;
  replicator: Replicator;
}

export interface ReplicationOptions {
  /** Every batch a replicator applied (the simulator hashes them into its trace). */
  onApplied?: (source: string, tally: ApplyTally) => void;
}

export class Replication implements ReplicationControl {
  private readonly pairs = new Map<string, Pair>();
  private readonly tasks = new Set<Promise<unknown>>();
  /** Which tombstones every replica holds (tombstone retention purges only those). */
  readonly tombstones: TombstoneStability;

  /** `conflicts` is the region's own log, which local writes record into too. Nothing runs until start(). */
  constructor(
    readonly ctx: RegionContext,
    readonly conflicts: ConflictLog,
    private readonly wiring: PeerWiring,
    private readonly log: (message: string) => void = console.error,
    private readonly options: ReplicationOptions = {},
  ) {
    this.tombstones = new TombstoneStability(ctx, () => [...this.pairs.values()].map((p) => p.connection.transport));
  }

  /** Connects to every peer and starts its replicator. */
  async start(): Promise<void> {
    for (const peer of this.wiring.peers) await this.addPeer(peer);
  }

  private async addPeer(source: string): Promise<void> {
    const metrics = new PairMetrics(source, () => this.ctx.clock.trueNowMs());
    const connection = await this.wiring.connect(source, {
      source: { source, ...RECEIVE_LIMITS, onHeartbeat: (heartbeat) => metrics.heard(heartbeat) },
      connected: () => metrics.connected,
    });
    let lastError = '';
    const replicator = new Replicator({
      ctx: this.ctx,
      source,
      changeSource: connection.changeSource,
      conflicts: this.conflicts,
      metrics,
      resync: (position) => this.resyncFrom(source, position),
      onApplied: (tally) => this.options.onApplied?.(source, tally),
      onError: (error) => {
        const message = (error as Error).message ?? String(error);
        if (message !== lastError) this.log(`replication from ${source}: ${message} (retrying)`);
        lastError = message;
      },
    });
    this.pairs.set(source, { connection, metrics, replicator });
    replicator.start();
  }

  peerNames(): string[] {
    return [...this.pairs.keys()];
  }

  peer(name: string): PeerTransport | undefined {
    return this.pairs.get(name)?.connection.transport;
  }

  link(name: string): Link | undefined {
    return this.pairs.get(name)?.connection.link;
  }

  links(): Link[] {
    return [...this.pairs.values()].map((p) => p.connection.link);
  }

  /**
   * A replicator has a large backlog to apply (after a partition, a restart, a new replica). What
   * a stuck source could not publish is no backlog here: nothing can be applied of it yet.
   */
  catchingUp(): boolean {
    for (const pair of this.pairs.values()) if (pair.metrics.streamBacklog() > CATCH_UP_PENDING) return true;
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
      changeSource: (name) => this.pairs.get(name)?.connection.changeSource,
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
  indexChanged(table: TableMeta, change: IndexChangeRequest): void {
    if (!table.replicas) return;
    this.background(`index change of ${table.name}`, broadcastIndexChange(this.deps(), table.replicas, change));
  }

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

  changeReplicaSettings(region: string, table: string, change: ReplicaSettingsChange): Promise<void> {
    return this.peer(region)!.replicaSettings({ table, change });
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
      clearIndexEntries(txn, indexesOf(meta));
      txn.removeTable(table);
    });
  }

  snapshot(table: string): TableSnapshot | undefined {
    const meta = this.ctx.store.read((txn) => txn.getTable<TableMeta>(table));
    if (!meta || meta.deleting) return undefined;
    return takeSnapshot(this.ctx, meta, this.peerNames());
  }

  /**
   * Rebuilds every table shared with a source from its snapshots; stores the lsn they all reflect
   * as the checkpoint, with `position` in the source's stream to resume after.
   */
  private async resyncFrom(source: string, position: number): Promise<void> {
    const peer = this.peer(source)!;
    const tables = this.ctx.store.read((txn) => txn.listTableNames()
      .map((name) => txn.getTable<TableMeta>(name)!)
      .filter((meta) => !meta.deleting && meta.replicas && Object.hasOwn(meta.replicas, source)));
    let reflects: number | undefined;
    for (const meta of tables) {
      const snapshot = await peer.snapshot(meta.name);
      // The source dropped the table since: asked again when the resync is retried.
      if (!snapshot) throw new PeerRequestError(`region ${source} has no table ${meta.name} to resync from`, 404);
      await mergeSnapshot(this.ctx, this.conflicts, snapshot);
      const reflected = snapshot.positions[source] ?? 0;
      reflects = reflects === undefined ? reflected : Math.min(reflects, reflected);
    }
    // Nothing is shared with the source: what it trimmed concerns no table here.
    const checkpoint = reflects ?? (await peer.info()).lastLsn;
    await this.ctx.store.write((txn) => writeProgress(txn, source, checkpoint, { seq: position }));
    this.log(`replication from ${source}: resynced ${tables.length} table(s) from snapshots, resuming after lsn ${checkpoint} (stream sequence ${position})`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pairs.values()].map((p) => p.replicator.stop()));
    await Promise.all([...this.pairs.values()].map((p) => p.connection.close()));
  }
}
