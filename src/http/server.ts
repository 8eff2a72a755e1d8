/**
 * The region's HTTP server. DynamoDB API calls (POST / with X-Amz-Target) take a direct path on
 * node's request objects, which measurably beats building Web Request/Response objects for each
 * call; every other route is served by the hono app.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { RegionContext } from '../dynamo/context.js';
import { handleApiRequest, type ApiService } from './protocol.js';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function serveApiCall(ctx: RegionContext, services: ApiService[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const response = await handleApiRequest(ctx, services, {
    target: String(req.headers['x-amz-target']),
    contentType: req.headers['content-type'],
    authorized: Boolean(req.headers.authorization) || (req.url ?? '').includes('X-Amz-Algorithm='),
    body: await readBody(req),
  });
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/**
 * `ready`: requests that arrive before it resolves wait for it (the port is taken early, so it
 * cannot be lost to another program, but nothing is answered before the region is whole); if it
 * rejects they are dropped.
 */
export function createRegionServer(ctx: RegionContext, services: ApiService[], app: Hono, ready: Promise<void> = Promise.resolve()): Server {
  const fallback = getRequestListener(app.fetch);
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'POST' && req.headers['x-amz-target'] !== undefined && (req.url === '/' || req.url?.startsWith('/?'))) {
      serveApiCall(ctx, services, req, res).catch((error) => {
        console.error(`[${ctx.region}] request failed:`, error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    void fallback(req, res);
  };
  let isReady = false;
  ready.then(() => { isReady = true; }, () => undefined);
  return createServer((req, res) => {
    if (isReady) return serve(req, res);
    ready.then(() => serve(req, res), () => res.destroy());
  });
}
