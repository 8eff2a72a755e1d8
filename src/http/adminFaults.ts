/** Admin routes that inject faults or stage demos: links, clock, forced timestamps, the nats-server, one item's stored version. */
import type { Context, Hono } from 'hono';
import { encodeItemKey } from '../core/keys.js';
import type { Item } from '../core/types.js';
import { keyShapeOf, type TableMeta } from '../dynamo/tables.js';
import { LinkSettingsError, type LinkProxy } from '../nats/linkProxy.js';
import type { AdminDeps } from './admin.js';
import { badRequest, jsonBody, linkView } from './adminHelpers.js';

export function mountFaultRoutes(app: Hono, deps: AdminDeps): void {
  const { ctx } = deps;
  app.get('/admin/clock', (c) => c.json({ mode: ctx.clockState.mode, skewMs: ctx.clock.skewMs }));
  app.put('/admin/clock', async (c) => {
    const body = await jsonBody(c);
    if (!body) return badRequest(c, 'expected a JSON object such as {"skewMs": 500}');
    if (body.skewMs !== undefined) {
      if (typeof body.skewMs !== 'number' || !Number.isFinite(body.skewMs)) return badRequest(c, 'skewMs must be a finite number');
      ctx.clock.skewMs = body.skewMs;
    }
    if (body.mode !== undefined) {
      if (body.mode !== 'hlc' && body.mode !== 'wall') return badRequest(c, 'mode must be hlc or wall');
      ctx.clockState.mode = body.mode;
    }
    return c.json({ mode: ctx.clockState.mode, skewMs: ctx.clock.skewMs });
  });

  app.post('/admin/clock/next', async (c) => {
    const body = await jsonBody(c);
    if (!body || typeof body.timestampMs !== 'number' || !Number.isSafeInteger(body.timestampMs) || body.timestampMs < 0) {
      return badRequest(c, 'expected {"timestampMs": <non-negative integer>}: the timestamp of the next version this region stamps');
    }
    ctx.forcedNextTimestampMs = body.timestampMs;
    return c.json({ nextTimestampMs: body.timestampMs });
  });

  app.get('/admin/item', (c) => {
    let keys: Item;
    try {
      keys = JSON.parse(c.req.query('key') ?? '');
    } catch {
      return badRequest(c, 'expected ?table=<name>&key=<the key as DynamoDB JSON, e.g. {"pk":{"S":"a"}}>');
    }
    const record = ctx.store.read((txn) => {
      const meta = txn.getTable<TableMeta>(c.req.query('table') ?? '');
      if (!meta || meta.deleting || !keys || typeof keys !== 'object') return undefined;
      try {
        return txn.getItem(meta.id, encodeItemKey(keyShapeOf(meta), keys)) ?? null;
      } catch {
        return undefined;
      }
    });
    if (record === undefined) return c.json({ error: 'no such table, or the key does not match its schema' }, 404);
    return c.json({ region: ctx.region, record });
  });

  app.post('/admin/nats/kill', async (c) => {
    if (!deps.nats) return c.json({ error: 'this region uses a nats-server it did not start' }, 409);
    const body = await jsonBody(c);
    await deps.nats.kill(body?.hold === true);
    return c.json({ running: deps.nats.running });
  });
  app.post('/admin/nats/start', async (c) => {
    if (!deps.nats) return c.json({ error: 'this region uses a nats-server it did not start' }, 409);
    await deps.nats.start();
    return c.json({ running: deps.nats.running });
  });

  app.get('/admin/links', (c) => c.json({ links: deps.replication?.peerNames().map((s) => linkView(deps.replication!.link(s)!, s)) ?? [] }));
  app.post('/admin/links/heal', (c) => {
    for (const link of deps.replication?.links() ?? []) link.heal();
    return c.json({ links: deps.replication?.peerNames().map((s) => linkView(deps.replication!.link(s)!, s)) ?? [] });
  });
  const withLink = (handler: (c: Context, link: LinkProxy, source: string) => Response | Promise<Response>) => (c: Context) => {
    const source = c.req.param('source')!;
    const link = deps.replication?.link(source);
    if (!link) return c.json({ error: `no link from ${source}: peers are ${deps.replication?.peerNames().join(', ') || 'none'}` }, 404);
    return handler(c, link, source);
  };
  app.get('/admin/links/:source', withLink((c, link, source) => c.json(linkView(link, source))));
  app.put('/admin/links/:source', withLink(async (c, link, source) => {
    const body = await jsonBody(c);
    if (!body) return badRequest(c, 'expected a JSON object such as {"latencyMs": 150, "jitterMs": 20, "stalled": false}');
    const unknown = Object.keys(body).filter((k) => !['latencyMs', 'jitterMs', 'stalled'].includes(k));
    if (unknown.length) return badRequest(c, `unknown setting(s): ${unknown.join(', ')}`);
    try {
      link.update(body);
    } catch (error) {
      if (error instanceof LinkSettingsError) return badRequest(c, error.message);
      throw error;
    }
    return c.json(linkView(link, source));
  }));
  app.post('/admin/links/:source/reset', withLink((c, link, source) => { link.reset(); return c.json(linkView(link, source)); }));
  app.post('/admin/links/:source/heal', withLink((c, link, source) => { link.heal(); return c.json(linkView(link, source)); }));
}
