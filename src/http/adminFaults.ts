/** Admin routes that inject faults or stage demos: links, clock, the nats-server, one item's stored version. */
import type { Context, Hono } from 'hono';
import { encodeItemKey } from '../core/keys.js';
import type { Item } from '../core/types.js';
import { keyShapeOf, type TableMeta } from '../dynamo/tables.js';
import { LinkSettingsError, type Link } from '../nats/link.js';
import type { AdminDeps } from './admin.js';
import { badRequest, linkView, parseBody, parseQuery, withoutInput } from './adminHelpers.js';
import { ClockUpdate, ItemQuery, LinkUpdate, NatsKill } from './adminSchemas.js';
import { clockView } from './metricsView.js';
import { clockFaultText, linkFaultText } from './faultTexts.js';
import { feedLink } from '../region/eventFeed.js';

export function mountFaultRoutes(app: Hono, deps: AdminDeps): void {
  const { ctx } = deps;
  // What a fault route changed, told to the event feed in words (the console's timeline shows them).
  const linkFault = (link: Link, source: string, text: string): void => deps.feed?.fault({ kind: 'link', text, link: feedLink(link, source) });
  const natsFault = (text: string): void => deps.feed?.fault({ kind: 'nats', text, natsRunning: deps.nats?.running ?? false });
  app.get('/admin/clock', withoutInput((c) => c.json(clockView(ctx))));
  app.put('/admin/clock', async (c) => {
    const body = await parseBody(c, ClockUpdate);
    if (body instanceof Response) return body;
    if (body.skewMs !== undefined) ctx.clock.skewMs = body.skewMs;
    if (body.mode !== undefined) ctx.clockState.mode = body.mode;
    const clock = { mode: ctx.clockState.mode, skewMs: ctx.clock.skewMs };
    deps.feed?.fault({ kind: 'clock', text: clockFaultText(clock), clock });
    return c.json(clockView(ctx));
  });

  app.get('/admin/item', (c) => {
    const query = parseQuery(c, ItemQuery);
    if (query instanceof Response) return query;
    const record = ctx.store.read((txn) => {
      const meta = txn.getTable<TableMeta>(query.table);
      if (!meta || meta.deleting) return undefined;
      try {
        return txn.getItem(meta.id, encodeItemKey(keyShapeOf(meta), query.key as Item)) ?? null;
      } catch {
        return undefined;
      }
    });
    if (record === undefined) return c.json({ error: 'no such table, or the key does not match its schema' }, 404);
    return c.json({ region: ctx.region, record });
  });

  app.post('/admin/nats/kill', async (c) => {
    const body = await parseBody(c, NatsKill);
    if (body instanceof Response) return body;
    if (!deps.nats) return c.json({ error: 'this region uses a nats-server it did not start' }, 409);
    await deps.nats.kill(body.hold === true);
    natsFault(body.hold === true ? 'nats-server killed (held down)' : 'nats-server killed');
    return c.json({ running: deps.nats.running });
  });
  app.post('/admin/nats/start', withoutInput(async (c) => {
    if (!deps.nats) return c.json({ error: 'this region uses a nats-server it did not start' }, 409);
    await deps.nats.start();
    natsFault('nats-server started');
    return c.json({ running: deps.nats.running });
  }));

  app.get('/admin/links', withoutInput((c) => c.json({ links: deps.replication?.peerNames().map((s) => linkView(deps.replication!.link(s)!, s)) ?? [] })));
  app.post('/admin/links/heal', withoutInput((c) => {
    for (const source of deps.replication?.peerNames() ?? []) {
      const link = deps.replication!.link(source);
      if (!link) continue;
      link.heal();
      linkFault(link, source, linkFaultText(source, 'healed'));
    }
    return c.json({ links: deps.replication?.peerNames().map((s) => linkView(deps.replication!.link(s)!, s)) ?? [] });
  }));
  const withLink = (handler: (c: Context, link: Link, source: string) => Response | Promise<Response>) => (c: Context) => {
    const source = c.req.param('source')!;
    const link = deps.replication?.link(source);
    if (!link) return c.json({ error: `no link from ${source}: peers are ${deps.replication?.peerNames().join(', ') || 'none'}` }, 404);
    return handler(c, link, source);
  };
  app.get('/admin/links/:source', withoutInput(withLink((c, link, source) => c.json(linkView(link, source)))));
  app.put('/admin/links/:source', withLink(async (c, link, source) => {
    const body = await parseBody(c, LinkUpdate);
    if (body instanceof Response) return body;
    try {
      link.update(body);
    } catch (error) {
      if (error instanceof LinkSettingsError) return badRequest(c, error.message);
      throw error;
    }
    linkFault(link, source, linkFaultText(source, 'updated', body, link.settings));
    return c.json(linkView(link, source));
  }));
  app.post('/admin/links/:source/reset', withoutInput(withLink((c, link, source) => {
    link.reset();
    linkFault(link, source, linkFaultText(source, 'reset'));
    return c.json(linkView(link, source));
  })));
  app.post('/admin/links/:source/heal', withoutInput(withLink((c, link, source) => {
    link.heal();
    linkFault(link, source, linkFaultText(source, 'healed'));
    return c.json(linkView(link, source));
  })));
}
