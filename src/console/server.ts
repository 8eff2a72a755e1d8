/**
 * The console's HTTP server: the page, its bundled script and styles, the cluster's live events as
 * server-sent events, and the routes the page acts through — each region's DynamoDB API and admin
 * API, and crash/restart where the console runs the regions. Every call to a region goes from here,
 * with the cluster's admin token, so the page needs neither the token nor CORS.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { uiBundle } from './bundle.js';
import type { ConsoleEvent } from './consoleEvents.js';
import { ConsoleHub } from './hub.js';
import { consolePage } from './page.js';
import { adminCall, dynamoCall, RegionDownError, type ConsoleRegion } from './regionCalls.js';
import { keyHistoryAcrossRegions, tableAcrossRegions } from './tableView.js';
import { RegionControlError, type RegionControl } from './regionControl.js';
import type { Credentials } from '../config/credentials.js';

export interface ConsoleOptions {
  regions: ConsoleRegion[];
  adminToken?: string;
  /** The key the page's DynamoDB calls are signed with, when the regions check signatures. */
  credentials?: Credentials;
  /** Crash and restart, where the console's caller runs the regions (`up`). */
  control?: RegionControl;
  host?: string;
  port: number;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Events a page has not read yet beyond this are a page that stopped reading: it is dropped, not buffered. */
const MAX_UNSENT_EVENTS = 20_000;
const KEEPALIVE_MS = 15_000;

const tableName = z.string().min(1).max(1024);
const TableQuery = z.object({ table: tableName });
const HistoryQuery = z.object({ table: tableName, key: z.string().refine(isJsonObject, 'must be a JSON object of AttributeValues') });
const DynamoBody = z.object({ operation: z.string().regex(/^[A-Z][A-Za-z]{2,40}$/, 'must be a DynamoDB operation name'), input: z.record(z.string(), z.unknown()) });

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export function consoleApp(options: ConsoleOptions, hub: ConsoleHub): Hono {
  const app = new Hono();
  const region = (c: Context): ConsoleRegion | undefined => options.regions.find((r) => r.name === c.req.param('name'));
  const noRegion = (c: Context) => c.json({ error: `no region named ${c.req.param('name')}: the regions are ${options.regions.map((r) => r.name).join(', ')}` }, 404);
  const refusal = (c: Context, error: z.ZodError) => c.json({ error: `${error.issues[0].path.join('.') || 'request'}: ${error.issues[0].message}` }, 400);
  const down = (c: Context, error: unknown) => {
    if (error instanceof RegionDownError) return c.json({ error: error.message }, 502);
    throw error;
  };

  app.get('/', (c) => c.html(consolePage()));
  app.get('/console.js', async (c) => c.body((await uiBundle('console')).js, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/console.css', async (c) => c.body((await uiBundle('console')).css, 200, { 'content-type': 'text/css; charset=utf-8' }));

  app.get('/api/cluster', (c) => c.json({
    regions: options.regions.map((r) => ({ name: r.name, endpoint: r.endpoint, controllable: options.control?.controllable(r.name) ?? false, up: hub.isUp(r.name) })),
  }));

  app.get('/api/events', (c) => streamSSE(c, async (stream) => {
    let unsent = 0;
    let chain = Promise.resolve();
    const send = (event: ConsoleEvent): void => {
      if (unsent > MAX_UNSENT_EVENTS) return void stream.abort();
      unsent += 1;
      chain = chain.then(() => stream.writeSSE({ event: event.type, data: JSON.stringify(event) })).then(() => { unsent -= 1; });
    };
    const unsubscribe = hub.subscribe(send);
    const keepalive = setInterval(() => { chain = chain.then(() => stream.write(': keep-alive\n\n')).then(() => undefined); }, KEEPALIVE_MS);
    await new Promise<void>((resolve) => stream.onAbort(resolve));
    clearInterval(keepalive);
    unsubscribe();
  }));

  app.get('/api/table', async (c) => {
    const query = TableQuery.safeParse(c.req.query());
    if (!query.success) return refusal(c, query.error);
    return c.json(await tableAcrossRegions(options.regions, options.adminToken, query.data.table));
  });

  app.get('/api/history', async (c) => {
    const query = HistoryQuery.safeParse(c.req.query());
    if (!query.success) return refusal(c, query.error);
    return c.json(await keyHistoryAcrossRegions(options.regions, options.adminToken, query.data.table, query.data.key));
  });

  app.post('/api/regions/:name/dynamodb', async (c) => {
    const target = region(c);
    if (!target) return noRegion(c);
    const body = DynamoBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return refusal(c, body.error);
    try {
      return c.json(await dynamoCall(target, body.data.operation, body.data.input, options.credentials));
    } catch (error) {
      return down(c, error);
    }
  });

  app.all('/api/regions/:name/admin/*', async (c) => {
    const target = region(c);
    if (!target) return noRegion(c);
    const url = new URL(c.req.url);
    const path = url.pathname.slice(`/api/regions/${encodeURIComponent(target.name)}/admin/`.length) + url.search;
    const body = ['GET', 'HEAD'].includes(c.req.method) ? undefined : await c.req.text();
    try {
      const answer = await adminCall(target, options.adminToken, c.req.method, path, body || undefined);
      return c.json(answer.body as object, answer.status as 200);
    } catch (error) {
      return down(c, error);
    }
  });

  for (const action of ['crash', 'restart'] as const) {
    app.post(`/api/regions/:name/${action}`, async (c) => {
      const target = region(c);
      if (!target) return noRegion(c);
      if (!options.control?.controllable(target.name)) return c.json({ error: `${target.name} was not started by this console: it cannot ${action} it` }, 409);
      try {
        await options.control[action](target.name);
        return c.json({ ok: true });
      } catch (error) {
        if (error instanceof RegionControlError) return c.json({ error: error.message }, 409);
        throw error;
      }
    });
  }
  return app;
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const hub = new ConsoleHub(options.regions, options.adminToken);
  const app = consoleApp(options, hub);
  const host = options.host ?? '127.0.0.1';
  // Built now, so a broken bundle is a failed start rather than a blank page.
  await uiBundle('console');
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      hub.close();
      // Open event streams would hold close() forever: end them.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
