/**
 * Regions in this process for the simulated PeerTransport: memory stores on one ManualClock, each
 * serving the real peer handlers over a small replica host (the membership functions of
 * replicas.ts), peers of each other through SimPeerTransports on a test network.
 */
import { ManualClock } from '../../src/clock/clock.js';
import { uuidFromBytes, type IdSource } from '../../src/core/ids.js';
import { initialClockState } from '../../src/core/version.js';
import { DEFAULT_SETTINGS, type RegionContext } from '../../src/dynamo/context.js';
import { dispatch } from '../../src/dynamo/dispatch.js';
import { operations } from '../../src/dynamo/ops/index.js';
import type { TableMeta } from '../../src/dynamo/tables.js';
import { closeStream } from '../../src/streams/registry.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { ConflictLog } from '../../src/replication/conflicts.js';
import { peerHandlers, type PeerHandlers, type ReplicaHost } from '../../src/replication/peerHandlers.js';
import { acceptReplica, setLegacyMembership, setMembership, type MembershipDeps } from '../../src/replication/replicas.js';
import { takeSnapshot } from '../../src/replication/snapshot.js';
import { SimPeerTransport } from '../../src/sim/peerTransport.js';
import type { SimNet } from '../../src/sim/net.js';

export interface SimPeerRegion {
  ctx: RegionContext;
  /** Its handlers while it is up; set `up` to false to take it down. */
  up: boolean;
  handlers: PeerHandlers;
  /** This region's transports to its peers, by peer name. */
  peers: Map<string, SimPeerTransport>;
}

/** Ids from a counter: the same run names everything the same way. */
function countingIds(): IdSource {
  let n = 0;
  return {
    uuid() {
      n += 1;
      // The count in the last four bytes, big-endian.
      return uuidFromBytes(Array.from({ length: 16 }, (_, i) => (i < 12 ? 0 : (n >>> (8 * (15 - i))) & 255)));
    },
  };
}

function replicaHost(ctx: RegionContext, conflicts: ConflictLog, peers: Map<string, SimPeerTransport>): ReplicaHost {
  const deps: MembershipDeps = { ctx, conflicts, peer: (name) => peers.get(name), changeSource: () => undefined, log: () => undefined };
  return {
    peerNames: () => [...peers.keys()],
    snapshot(table) {
      const meta = ctx.store.read((txn) => txn.getTable<TableMeta>(table));
      return meta && !meta.deleting ? takeSnapshot(ctx, meta, [...peers.keys()]) : undefined;
    },
    acceptReplica: (schema, members, coordinator) => acceptReplica(deps, schema, members, coordinator),
    acceptMembership: (table, members) => setMembership(ctx, table, members),
    acceptLegacyMembership: (table, members) => setLegacyMembership(ctx, table, members),
    async dropReplica(table) {
      await ctx.store.write((txn) => {
        const meta = txn.getTable<TableMeta>(table);
        if (!meta) return;
        closeStream(ctx, txn, table);
        txn.clearItems(meta.id);
        txn.removeTable(table);
      });
    },
  };
}

/** The named regions, every one a peer of every other, on `clock`, their calls carried by `net`. */
export function startSimPeerRegions(names: string[], clock: ManualClock, net: SimNet, timeoutMs?: number): Map<string, SimPeerRegion> {
  const regions = new Map<string, SimPeerRegion>();
  for (const name of names) {
    const store = createMemoryStore();
    const ctx: RegionContext = {
      region: name, accountId: '000000000000', store, clock, clockState: initialClockState(name),
      ids: countingIds(), settings: DEFAULT_SETTINGS, granularity: 'item',
    };
    const conflicts = new ConflictLog((fn) => store.read(fn));
    ctx.conflicts = conflicts;
    const peers = new Map<string, SimPeerTransport>();
    const handlers = peerHandlers({ ctx, replication: replicaHost(ctx, conflicts, peers) });
    regions.set(name, { ctx, up: true, handlers, peers });
  }
  for (const [name, region] of regions) {
    for (const peer of names.filter((n) => n !== name)) {
      const target = regions.get(peer)!;
      region.peers.set(peer, new SimPeerTransport({ from: name, to: peer, net, clock, handlers: () => (target.up ? target.handlers : undefined), timeoutMs }));
    }
  }
  return regions;
}

/** Runs one DynamoDB operation in a region; fails on an error answer. */
export async function runOperation(ctx: RegionContext, operation: string, request: unknown): Promise<Record<string, unknown>> {
  const { status, body } = await dispatch(ctx, operations, operation, new TextEncoder().encode(JSON.stringify(request)));
  if (status !== 200) throw new Error(`${operation} in ${ctx.region} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** A regional table keyed by pk (a string) holding these keys. */
export async function createSimTable(ctx: RegionContext, table: string, keys: string[]): Promise<void> {
  await runOperation(ctx, 'CreateTable', {
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  for (const key of keys) await runOperation(ctx, 'PutItem', { TableName: table, Item: { pk: { S: key } } });
}

const STEP_MS = 50;
/** Longer than the longest time-out (a snapshot's ten minutes). */
const MAX_SETTLE_MS = 700_000;

/** Awaits a call, moving the clock on a step at a time while it is pending (each step after the work it released has run). */
export async function settleOn<T>(clock: ManualClock, call: Promise<T>): Promise<T> {
  let done = false;
  call.then(() => { done = true; }, () => { done = true; });
  for (let elapsedMs = 0; ; elapsedMs += STEP_MS) {
    await new Promise((resolve) => setImmediate(resolve));
    if (done) return call;
    if (elapsedMs > MAX_SETTLE_MS) throw new Error(`the call did not settle within ${MAX_SETTLE_MS} ms of virtual time`);
    clock.advance(STEP_MS);
  }
}
