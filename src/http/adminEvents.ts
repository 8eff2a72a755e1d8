/**
 * GET /admin/history: one key's changes and conflicts as this region holds them (keyHistoryScan.ts).
 * GET /admin/events: the region's event feed (src/region/eventFeed.ts) as server-sent events, one
 * `event: <type>` and `data: <json>` per feed event. A client that stops reading is dropped once
 * what waits for it passes a bound, rather than the region holding its backlog; the stream ends when
 * the client goes or the region stops. Timers run on the region's clock: the simulator serves it too.
 */
import type { Hono } from 'hono';
import { every } from '../clock/clock.js';
import type { Item } from '../core/types.js';
import type { FeedEvent } from '../region/feedEvents.js';
import { HistoryKeyMismatchError, keyHistory } from '../region/keyHistoryScan.js';
import type { AdminDeps } from './admin.js';
import { badRequest, parseQuery, withoutInput } from './adminHelpers.js';
import { HistoryQuery } from './adminSchemas.js';

/** What may wait for one client before it is dropped: about a minute of a busy feed. */
export const MAX_UNREAD_EVENT_BYTES = 4 * 1024 * 1024;
/** A comment line this often keeps proxies and idle-connection timers from closing a quiet stream. */
export const KEEP_ALIVE_INTERVAL_MS = 15_000;

const encoder = new TextEncoder();

export const sseFrame = (event: FeedEvent): Uint8Array => encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);

/** Raised to end the stream of a client that does not read. */
export class SlowEventClientError extends Error {
  constructor() {
    super(`event client dropped: more than ${MAX_UNREAD_EVENT_BYTES} bytes unread`);
    this.name = 'SlowEventClientError';
  }
}

export function mountEventRoutes(app: Hono, deps: AdminDeps): void {
  app.get('/admin/history', async (c) => {
    const query = parseQuery(c, HistoryQuery);
    if (query instanceof Response) return query;
    try {
      const history = await keyHistory(deps.ctx, deps.conflicts, query.table, query.key as Item);
      return history ? c.json(history) : c.json({ error: `no table ${query.table} in ${deps.ctx.region}` }, 404);
    } catch (error) {
      if (error instanceof HistoryKeyMismatchError) return badRequest(c, error.message, 'key');
      throw error;
    }
  });

  app.get('/admin/events', withoutInput((c) => {
    const { feed } = deps;
    if (!feed) return c.json({ error: 'this region has no event feed' }, 404);
    let stop = (): void => {};
    const outgoing = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let ended = false;
        const end = (error?: Error): void => {
          if (ended) return;
          ended = true;
          stop();
          // Behind node's server the connection is cut at once (no error to log: the client is gone);
          // elsewhere (the simulator) the stream fails.
          if (error && outgoing) return void outgoing.destroy();
          try {
            if (error) controller.error(error);
            else controller.close();
          } catch {
            // Already cancelled by the client.
          }
        };
        const send = (chunk: Uint8Array): void => {
          if (ended) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) end(new SlowEventClientError());
        };
        const stopKeepAlive = every(deps.ctx.clock, KEEP_ALIVE_INTERVAL_MS, () => send(encoder.encode(': keep-alive\n\n')));
        let unsubscribe = (): void => {};
        stop = () => {
          stopKeepAlive();
          unsubscribe();
        };
        unsubscribe = feed.subscribe((event) => send(sseFrame(event)), () => end());
        if (ended) unsubscribe();
      },
      cancel() {
        stop();
      },
    }, new ByteLengthQueuingStrategy({ highWaterMark: MAX_UNREAD_EVENT_BYTES }));
    return new Response(body, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
    });
  }));
}
