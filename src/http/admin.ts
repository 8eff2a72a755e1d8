/**
 * The admin API under /admin (info, status, metrics, conflicts, digest, and the peer-facing replica
 * endpoints; faults are in adminFaults.ts) and GET /metrics in Prometheus text format. Every body
 * and query is checked by its schema (adminSchemas.ts); routes that change something are guarded
 * (adminAuth.ts).
 */
import type { Context, Hono } from 'hono';
import type { RegionContext } from '../dynamo/context.js';
import { LEGACY_GLOBAL_TABLE_VERSION } from '../dynamo/ops/describeGlobalTable.js';
import { readStats, type TableMeta } from '../dynamo/tables.js';
import type { Publisher } from '../bus/publisher.js';
import { regionDigest } from '../replication/digest.js';
import type { ConflictLog } from '../replication/conflicts.js';
import type { EmbeddedNats } from '../region/changeStream.js';
import type { Replication } from '../replication/replication.js';
import { PeerRequestError } from '../replication/peers.js';
import { peerTableOf, ReplicaConflictError } from '../replication/replicas.js';
import { prometheusText, regionMetrics } from './metricsView.js';
import { badRequest, parseBody, parseQuery, withoutInput } from './adminHelpers.js';
import { mountFaultRoutes } from './adminFaults.js';
import { adminGuard } from './adminAuth.js';
import { ConflictsQuery, DigestQuery, ReplicaCreate, ReplicaDelete, ReplicaMembership, TableParam, TableQuery } from './adminSchemas.js';

export interface AdminDeps {
  ctx: RegionContext;
  replication?: Replication;
  publisher?: Publisher;
  /** The region's conflict log (local writes record into it as well as replication). */
  conflicts: ConflictLog;
  natsUrl?: string;
  nats?: EmbeddedNats;
  /** With a token, guarded routes require it from every address; without, they answer loopback only. */
  adminToken?: string;
}

/** Mounts the routes; `deps` is read on every request, since replication starts after the server listens. */
export function mountAdmin(app: Hono, deps: AdminDeps): void {
  const { ctx } = deps;
  app.use('/admin/*', adminGuard(deps.adminToken));

  app.get('/admin/info', withoutInput((c) => c.json({
    region: ctx.region,
    natsUrl: deps.natsUrl ?? null,
    natsPid: deps.nats?.pid ?? null,
    lastLsn: ctx.store.lastLsn(),
    clock: { mode: ctx.clockState.mode, skewMs: ctx.clock.skewMs },
    granularity: ctx.granularity,
    peers: deps.replication?.peerNames() ?? [],
  })));

  app.get('/admin/status', withoutInput((c) => {
    const { tables, replication, publisher } = regionMetrics(deps);
    return c.json({ region: ctx.region, tables: tables.length, items: tables.reduce((sum, t) => sum + t.items, 0), publisher, replication });
  }));

  app.get('/admin/metrics', withoutInput((c) => c.json(regionMetrics(deps))));
  // Starts a fresh latency window (benchmarks and scenarios measure one phase at a time).
  app.post('/admin/metrics/reset', withoutInput((c) => {
    for (const pair of deps.replication?.pairMetrics() ?? []) pair.lag.reset();
    return c.json(regionMetrics(deps));
  }));
  app.get('/metrics', withoutInput((c) => c.text(prometheusText(regionMetrics(deps)), 200, { 'content-type': 'text/plain; version=0.0.4' })));

  app.get('/admin/conflicts', (c) => {
    const query = parseQuery(c, ConflictsQuery);
    if (query instanceof Response) return query;
    // The log exists with or without replication: a local write can lose to a newer version too.
    const log = deps.conflicts;
    return c.json({
      total: log.total,
      conflicts: log.list({
        ...(query.after !== undefined ? { afterSeq: query.after } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.table !== undefined ? { table: query.table } : {}),
      }),
    });
  });

  app.get('/admin/digest', (c) => {
    const query = parseQuery(c, DigestQuery);
    if (query instanceof Response) return query;
    return c.json({ region: ctx.region, ...regionDigest(ctx, query.table) });
  });

  mountFaultRoutes(app, deps);

  // Peer-facing: how regions build and change global tables.
  app.get('/admin/snapshot', (c) => {
    const query = parseQuery(c, TableQuery);
    if (query instanceof Response) return query;
    const snapshot = deps.replication?.snapshot(query.table);
    return snapshot ? c.json(snapshot) : c.json({ error: 'no such table' }, 404);
  });
  app.get('/admin/tables/:name', (c) => {
    const param = parseQuery(c, TableParam, 'param');
    if (param instanceof Response) return param;
    const view = ctx.store.read((txn) => {
      const meta = txn.getTable<TableMeta>(param.name);
      return meta && !meta.deleting ? peerTableOf(meta, readStats(txn, meta.id).itemCount) : undefined;
    });
    return view ? c.json(view) : c.json({ error: 'no such table' }, 404);
  });
  const noReplication = (c: Context) => c.json({ error: 'this region does not replicate (it has no change stream)' }, 409);
  app.post('/admin/replicas/create', async (c) => {
    const body = await parseBody(c, ReplicaCreate);
    if (body instanceof Response) return body;
    if (!deps.replication) return noReplication(c);
    // The new replica backfills from the coordinator, which it must know as a peer.
    if (!deps.replication.peer(body.coordinator)) return badRequest(c, `must be a peer of this region (${deps.replication.peerNames().join(', ') || 'none'})`, 'coordinator');
    try {
      await deps.replication.acceptReplica(body.schema, body.members, body.coordinator);
    } catch (error) {
      if (error instanceof ReplicaConflictError) return c.json({ error: error.message }, 409);
      // The coordinator did not answer (for the snapshot): it retries.
      if (error instanceof PeerRequestError) return c.json({ error: error.message }, 502);
      throw error;
    }
    return c.json({ ok: true });
  });
  app.post('/admin/replicas/membership', async (c) => {
    const body = await parseBody(c, ReplicaMembership);
    if (body instanceof Response) return body;
    if (!deps.replication) return noReplication(c);
    // A legacy (2017.11.29) global table's membership carries its version: a region it leaves out has left.
    if (body.globalTableVersion === LEGACY_GLOBAL_TABLE_VERSION) await deps.replication.acceptLegacyMembership(body.table, body.members);
    else await deps.replication.acceptMembership(body.table, body.members);
    return c.json({ ok: true });
  });
  app.post('/admin/replicas/delete', async (c) => {
    const body = await parseBody(c, ReplicaDelete);
    if (body instanceof Response) return body;
    if (!deps.replication) return noReplication(c);
    await deps.replication.dropReplica(body.table);
    return c.json({ ok: true });
  });
}
