/**
 * The admin API under /admin (info, status, metrics, conflicts, digest, and the peer-facing replica
 * endpoints; faults are in adminFaults.ts) and GET /metrics in Prometheus text format.
 */
import type { Hono } from 'hono';
import type { RegionContext } from '../dynamo/context.js';
import { LEGACY_GLOBAL_TABLE_VERSION } from '../dynamo/ops/describeGlobalTable.js';
import { readStats, type TableMeta } from '../dynamo/tables.js';
import type { Publisher } from '../bus/publisher.js';
import { regionDigest } from '../replication/digest.js';
import type { ConflictLog } from '../replication/conflicts.js';
import type { EmbeddedNats } from '../region/changeStream.js';
import type { Replication } from '../replication/replication.js';
import { peerTableOf, ReplicaConflictError } from '../replication/replicas.js';
import { prometheusText, regionMetrics } from './metricsView.js';
import { badRequest, jsonBody } from './adminHelpers.js';
import { mountFaultRoutes } from './adminFaults.js';

export interface AdminDeps {
  ctx: RegionContext;
  replication?: Replication;
  publisher?: Publisher;
  /** The region's conflict log (local writes record into it as well as replication). */
  conflicts: ConflictLog;
  natsUrl?: string;
  nats?: EmbeddedNats;
}

/** Mounts the routes; `deps` is read on every request, since replication starts after the server listens. */
export function mountAdmin(app: Hono, deps: AdminDeps): void {
  const { ctx } = deps;

  app.get('/admin/info', (c) => c.json({
    region: ctx.region,
    natsUrl: deps.natsUrl ?? null,
    natsPid: deps.nats?.pid ?? null,
    lastLsn: ctx.store.lastLsn(),
    clock: { mode: ctx.clockState.mode, skewMs: ctx.clock.skewMs },
    granularity: ctx.granularity,
    peers: deps.replication?.peerNames() ?? [],
  }));

  app.get('/admin/status', (c) => {
    const { tables, replication, publisher } = regionMetrics(deps);
    return c.json({ region: ctx.region, tables: tables.length, items: tables.reduce((sum, t) => sum + t.items, 0), publisher, replication });
  });

  app.get('/admin/metrics', (c) => c.json(regionMetrics(deps)));
  // Starts a fresh latency window (benchmarks and scenarios measure one phase at a time).
  app.post('/admin/metrics/reset', (c) => {
    for (const pair of deps.replication?.pairMetrics() ?? []) pair.lag.reset();
    return c.json(regionMetrics(deps));
  });
  app.get('/metrics', (c) => c.text(prometheusText(regionMetrics(deps)), 200, { 'content-type': 'text/plain; version=0.0.4' }));

  app.get('/admin/conflicts', (c) => {
    // The log exists with or without replication: a local write can lose to a newer version too.
    const log = deps.conflicts;
    const after = c.req.query('after');
    const limit = c.req.query('limit');
    return c.json({
      total: log.total,
      conflicts: log.list({
        ...(after ? { afterSeq: Number(after) } : {}),
        ...(limit ? { limit: Number(limit) } : {}),
        ...(c.req.query('table') ? { table: c.req.query('table') } : {}),
      }),
    });
  });

  app.get('/admin/digest', (c) => {
    const table = c.req.query('table');
    return c.json({ region: ctx.region, ...regionDigest(ctx, table ? table.split(',') : undefined) });
  });

  mountFaultRoutes(app, deps);

  // Peer-facing: how regions build and change global tables.
  app.get('/admin/snapshot', (c) => {
    const snapshot = deps.replication?.snapshot(c.req.query('table') ?? '');
    return snapshot ? c.json(snapshot) : c.json({ error: 'no such table' }, 404);
  });
  app.get('/admin/tables/:name', (c) => {
    const view = ctx.store.read((txn) => {
      const meta = txn.getTable<TableMeta>(c.req.param('name'));
      return meta && !meta.deleting ? peerTableOf(meta, readStats(txn, meta.id).itemCount) : undefined;
    });
    return view ? c.json(view) : c.json({ error: 'no such table' }, 404);
  });
  app.post('/admin/replicas/create', async (c) => {
    const body = await jsonBody(c);
    if (!deps.replication || !body) return badRequest(c, 'expected { schema, members, coordinator }');
    try {
      await deps.replication.acceptReplica(body.schema as never, body.members as never, String(body.coordinator));
    } catch (error) {
      if (error instanceof ReplicaConflictError) return c.json({ error: error.message }, 409);
      throw error;
    }
    return c.json({ ok: true });
  });
  app.post('/admin/replicas/membership', async (c) => {
    const body = await jsonBody(c);
    if (!deps.replication || !body) return badRequest(c, 'expected { table, members }');
    // A legacy (2017.11.29) global table's membership carries its version: a region it leaves out has left.
    if (body.globalTableVersion === LEGACY_GLOBAL_TABLE_VERSION) await deps.replication.acceptLegacyMembership(String(body.table), body.members as never);
    else await deps.replication.acceptMembership(String(body.table), body.members as never);
    return c.json({ ok: true });
  });
  app.post('/admin/replicas/delete', async (c) => {
    const body = await jsonBody(c);
    if (!deps.replication || !body) return badRequest(c, 'expected { table }');
    await deps.replication.dropReplica(String(body.table));
    return c.json({ ok: true });
  });
}
