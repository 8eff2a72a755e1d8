/**
 * The region's HTTP server. DynamoDB API calls (POST / with X-Amz-Target) take a direct path on
 * node's request objects, which measurably beats building Web Request/Response objects for each
 * call; every other route is served by the hono app. Every body is read here, against a limit,
 * and no request can end in anything but an answer or a closed connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { RegionContext } from '../dynamo/context.js';
import { InternalServerError } from '../dynamo/errors.js';
import { FORCED_TIMESTAMP_HEADER } from '../dynamo/forcedTimestamp.js';
import { BodyAborted, BodyTooLarge, readBody, refuseBody } from './body.js';
import { DEFAULT_FRONT_DOOR_LIMITS, type FrontDoorLimits } from './limits.js';
import { errorResponse, handleApiRequest, type ApiFrontDoor, type ApiResponse } from './protocol.js';

/** Node's request headers are keyed in lower case. */
const FORCED_TIMESTAMP_KEY = FORCED_TIMESTAMP_HEADER.toLowerCase();

function isApiCall(req: IncomingMessage): boolean {
  return req.method === 'POST' && req.headers['x-amz-target'] !== undefined && (req.url === '/' || req.url?.startsWith('/?') === true);
}

function send(res: ServerResponse, response: ApiResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

async function serveApiCall(ctx: RegionContext, frontDoor: ApiFrontDoor, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const forcedTimestamp = req.headers[FORCED_TIMESTAMP_KEY];
  send(res, await handleApiRequest(ctx, frontDoor, {
    target: String(req.headers['x-amz-target']),
    contentType: req.headers['content-type'],
    authorized: Boolean(req.headers.authorization) || (req.url ?? '').includes('X-Amz-Algorithm='),
    // Sent twice, it is refused as malformed rather than one of the values picked.
    ...(forcedTimestamp === undefined ? {} : { forcedTimestamp: Array.isArray(forcedTimestamp) ? forcedTimestamp.join(',') : forcedTimestamp }),
    caller: { remoteAddress: req.socket.remoteAddress, authorization: req.headers.authorization },
    body,
  }));
}

/**
 * `ready`: requests that arrive before it resolves wait for it (the port is taken early, so it
 * cannot be lost to another program, but nothing is answered before the region is whole); if it
 * rejects they are dropped.
 */
export function createRegionServer(
  ctx: RegionContext, frontDoor: ApiFrontDoor, app: Hono, ready: Promise<void> = Promise.resolve(),
  limits: FrontDoorLimits = DEFAULT_FRONT_DOOR_LIMITS,
): Server {
  const fallback = getRequestListener(app.fetch);
  const handle = async (req: IncomingMessage, res: ServerResponse, api: boolean): Promise<void> => {
    let body: Buffer;
    try {
      body = await readBody(req, api ? limits.apiMaxBodyBytes : limits.otherMaxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // DynamoDB answers 413 with an empty body; the admin API's errors are JSON.
        const answer = api ? Buffer.alloc(0) : Buffer.from(JSON.stringify({ error: error.message }));
        return refuseBody(req, res, limits, answer, api ? {} : { 'Content-Type': 'application/json' });
      }
      if (error instanceof BodyAborted) return void res.destroy();
      throw error;
    }
    if (api) return serveApiCall(ctx, frontDoor, req, res, body);
    // The hono adapter takes a body already read from `rawBody`.
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
    return fallback(req, res);
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const api = isApiCall(req);
    handle(req, res, api).catch((error: unknown) => {
      // Only a fault of the region's own reaches this far: bad input has its own answers.
      console.error(`[${ctx.region}] request failed:`, error);
      if (res.headersSent) return void res.destroy();
      if (api) send(res, errorResponse(new InternalServerError({ cause: error }), String(req.headers['content-type'] ?? '')));
      else res.writeHead(500).end();
    });
  };
  let isReady = false;
  ready.then(() => { isReady = true; }, () => undefined);
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
  }, (req, res) => {
    if (isReady) return serve(req, res);
    ready.then(() => serve(req, res), () => res.destroy());
  });
  return server;
}
