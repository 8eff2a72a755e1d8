/**
 * The admin API under /admin (info, status, metrics, conflicts, digest, and the peer-facing replica
 * endpoints; faults are in adminFaults.ts) and GET /metrics in Prometheus text format. Every body
 * and query is checked by its schema (adminSchemas.ts); routes that change something are guarded
 * (adminAuth.ts).
 */
import type { Context, Hono } from 'hono';
import type { RegionContext } from '../dynamo/context.js';
import type { ChangePublisher } from '../bus/changePublisher.js';
import { regionDigest } from '../replication/digest.js';
import type { ConflictLog } from '../replication/conflicts.js';
import type { EmbeddedNats } from '../region/changeStream.js';
import type { Replication } from '../replication/replication.js';
import { peerErrorStatus, peerHandlers, UnknownCoordinatorError } from '../replication/peerHandlers.js';
import { PEER_PATHS, type ErrorResponse, type OkResponse } from '../replication/peerWire.js';
import { prometheusText, regionMetrics } from './metricsView.js';
import { badRequest, parseBody, parseQuery, withoutInput } from './adminHelpers.js';
import { mountFaultRoutes } from './adminFaults.js';
import { mountEventRoutes } from './adminEvents.js';
import type { EventFeed } from '../region/eventFeed.js';
import { adminGuard } from './adminAuth.js';
import { ConflictsQuery, DigestQuery, ReplicaCreate, ReplicaDelete, ReplicaIndexChange, ReplicaMembership, ReplicaSettings, TableParam, TableQuery } from './adminSchemas.js';
import type { IndexChangeRequest } from '../dynamo/indexes/indexSync.js';
import { lastOwnLsn } from '../replication/ownChanges.js';
import { explainConflict } from '../core/conflictExplanation.js';

export interface AdminDeps {
  ctx: RegionContext;
  replication?: Replication;
  publisher?: ChangePublisher;
  /** The region's conflict log (local writes record into it as well as replication). */
  conflicts: ConflictLog;
  natsUrl?: string;
  nats?: EmbeddedNats;
  /** The region's event feed (GET /admin/events); fault routes tell it what they changed. */
  feed?: EventFeed;
  /** With a token, guarded routes require it from every address; without, they answer loopback only. */
  adminToken?: string;
}

/** Mounts the routes; `deps` is read on every request, since replication starts after the server listens. */
export function mountAdmin(app: Hono, deps: AdminDeps): void {
  const { ctx } = deps;
  const peer = peerHandlers(deps);
  app.use('/admin/*', adminGuard(deps.adminToken));

  app.get(PEER_PATHS.info, withoutInput(async (c) => c.json(await peer.info())));

  app.get('/admin/status', withoutInput((c) => {
    const { tables, replication, publisher, tombstones } = regionMetrics(deps);
    return c.json({ region: ctx.region, tables: tables.length, items: tables.reduce((sum, t) => sum + t.items, 0), publisher, replication, tombstones });
  }));

  app.get('/admin/metrics', withoutInput((c) => {
    const metrics = regionMetrics(deps);
    // Only here, not in /admin/status or /metrics, which are polled: it reads the change log since the last call.
    return c.json({ ...metrics, changeLog: { ...metrics.changeLog, lastOwnLsn: lastOwnLsn(ctx) } });
  }));
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
      }).map((entry) => ({ ...entry, explanation: explainConflict(entry) })),
    });
  });

  app.get('/admin/digest', (c) => {
    const query = parseQuery(c, DigestQuery);
    if (query instanceof Response) return query;
    return c.json({ region: ctx.region, ...regionDigest(ctx, query.table) });
  });

  mountFaultRoutes(app, deps);
  mountEventRoutes(app, deps);

  // Peer-facing: how regions build and change global tables (the handlers are peerHandlers.ts).
  app.get(PEER_PATHS.snapshot, async (c) => {
    const query = parseQuery(c, TableQuery);
    if (query instanceof Response) return query;
    return found(c, peer.snapshot(query.table));
  });
  app.get(PEER_PATHS.table, async (c) => {
    const param = parseQuery(c, TableParam, 'param');
    if (param instanceof Response) return param;
    return found(c, peer.table(param.name));
  });
  app.post(PEER_PATHS.createReplica, async (c) => {
    const body = await parseBody(c, ReplicaCreate);
    return body instanceof Response ? body : done(c, peer.createReplica(body));
  });
  app.post(PEER_PATHS.membership, async (c) => {
    const body = await parseBody(c, ReplicaMembership);
    return body instanceof Response ? body : done(c, peer.membership(body));
  });
  app.post(PEER_PATHS.deleteReplica, async (c) => {
    const body = await parseBody(c, ReplicaDelete);
    return body instanceof Response ? body : done(c, peer.deleteReplica(body));
  });
  app.post(PEER_PATHS.replicaSettings, async (c) => {
    const body = await parseBody(c, ReplicaSettings);
    return body instanceof Response ? body : done(c, peer.replicaSettings(body));
  });
  app.post(PEER_PATHS.indexChange, async (c) => {
    const body = await parseBody(c, ReplicaIndexChange);
    return body instanceof Response ? body : done(c, peer.indexChange(body as IndexChangeRequest));
  });
}

/** A peer handler's result as HTTP; undefined means the region has no such table (a 404). */
async function found(c: Context, result: Promise<object | undefined>): Promise<Response> {
  try {
    const value = await result;
    return value === undefined ? c.json({ error: 'no such table' } satisfies ErrorResponse, 404) : c.json(value);
  } catch (error) {
    return refused(c, error);
  }
}

/** A peer handler that changes something and has nothing to report: {"ok": true} once it is done. */
async function done(c: Context, work: Promise<void>): Promise<Response> {
  try {
    await work;
    return c.json({ ok: true } satisfies OkResponse);
  } catch (error) {
    return refused(c, error);
  }
}

/** A handler's refusal with the status peerErrorStatus gives it; anything else is the region's own failure, a 500. */
function refused(c: Context, error: unknown): Response {
  if (error instanceof UnknownCoordinatorError) return badRequest(c, error.message, error.field);
  const status = peerErrorStatus(error);
  if (status === undefined) throw error;
  return c.json({ error: (error as Error).message } satisfies ErrorResponse, status);
}
