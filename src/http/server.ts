/**
 * The region's HTTP server. Requests to `/` (DynamoDB's API calls, and its health, CORS and 404
 * answers: edges.ts) take a direct path on node's request objects, which measurably beats
 * building Web Request/Response objects for each call; every other route is served by the hono
 * app. Every body is read here, against a limit, and no request can end in anything but an
 * answer or a closed connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { RegionContext } from '../dynamo/context.js';
import { InternalServerError } from '../dynamo/errors.js';
import { FORCED_TIMESTAMP_HEADER } from '../dynamo/forcedTimestamp.js';
import { BodyAborted, BodyTooLarge, readBody, refuseBody } from './body.js';
import { AMZ_JSON, classifyRequest, corsHeaders, notFoundAnswer, preflightAnswer } from './edges.js';
import { COMPRESSION_THRESHOLD_BYTES, compressAnswer, DecodedBodyTooLarge, decodeBody, UndecodableBody } from './encoding.js';
import { DEFAULT_FRONT_DOOR_LIMITS, type FrontDoorLimits } from './limits.js';
import { errorResponse, frame, handleApiRequest, type ApiFrontDoor, type ApiResponse } from './protocol.js';

/** Node's request headers are keyed in lower case. */
const FORCED_TIMESTAMP_KEY = FORCED_TIMESTAMP_HEADER.toLowerCase();

/** Every request to `/` meets DynamoDB's protocol (health, CORS, 404s, API calls); other paths are hono's. */
function isFrontDoor(req: IncomingMessage): boolean {
  return req.url === '/' || req.url?.startsWith('/?') === true;
}

function send(res: ServerResponse, response: ApiResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/** DynamoDB's 413: no body, sent chunked. */
const TOO_LARGE_HEADERS = { 'Transfer-Encoding': 'chunked' };

async function serveApiCall(
  ctx: RegionContext, frontDoor: ApiFrontDoor, req: IncomingMessage, body: Buffer, responseType: string, maxBytes: number,
): Promise<ApiResponse | 'tooLarge'> {
  let decoded = body;
  const contentEncoding = req.headers['content-encoding'];
  // Checked here so that an uncompressed call (nearly all of them) waits on nothing more.
  if (contentEncoding !== undefined) {
    try {
      decoded = await decodeBody(body, contentEncoding, maxBytes);
    } catch (error) {
      if (error instanceof DecodedBodyTooLarge) return 'tooLarge';
      // DynamoDB answers a body it cannot decode with a server error.
      if (error instanceof UndecodableBody) return errorResponse(new InternalServerError({ cause: error }), responseType);
      throw error;
    }
  }
  const url = req.url ?? '/';
  const query = url.length > 2 ? url.slice(2) : '';
  const forcedTimestamp = req.headers[FORCED_TIMESTAMP_KEY];
  const response = await handleApiRequest(ctx, frontDoor, {
    // Node joins a header sent twice into one string (only Set-Cookie is kept as a list).
    target: req.headers['x-amz-target'] as string | undefined,
    responseType,
    authorization: req.headers.authorization,
    query,
    hasDate: Boolean(req.headers['x-amz-date'] || req.headers.date),
    // Sent twice, it is refused as malformed rather than one of the values picked.
    ...(forcedTimestamp === undefined ? {} : { forcedTimestamp: Array.isArray(forcedTimestamp) ? forcedTimestamp.join(',') : forcedTimestamp }),
    caller: { remoteAddress: req.socket.remoteAddress, authorization: req.headers.authorization },
    body: decoded,
    // Every API call is to `/` (isFrontDoor); a signature covers the bytes sent, compressed or not.
    signed: { method: req.method ?? 'POST', path: '/', query, rawHeaders: req.rawHeaders, body },
  });
  const acceptEncoding = req.headers['accept-encoding'];
  return acceptEncoding === undefined || response.body.length < COMPRESSION_THRESHOLD_BYTES ? response : compressAnswer(response, acceptEncoding);
}

async function serveFrontDoor(ctx: RegionContext, frontDoor: ApiFrontDoor, req: IncomingMessage, res: ServerResponse, body: Buffer, maxBytes: number): Promise<void> {
  const hasOrigin = req.headers.origin !== undefined;
  const edge = classifyRequest(req.method, req.headers['content-type'], hasOrigin, body.length);
  let response: ApiResponse;
  if (edge.kind === 'preflight') {
    response = preflightAnswer(req.headers['access-control-request-headers'], req.headers['access-control-request-method']);
  } else if (edge.kind === 'health') {
    response = frame(200, `healthy: dynamodb.${ctx.region}.amazonaws.com `, 'text/plain');
  } else if (edge.kind === 'notFound') {
    response = notFoundAnswer();
  } else {
    const answer = await serveApiCall(ctx, frontDoor, req, body, edge.responseType, maxBytes);
    if (answer === 'tooLarge') return void res.writeHead(413, TOO_LARGE_HEADERS).end();
    response = answer;
  }
  if (hasOrigin) Object.assign(response.headers, corsHeaders());
  send(res, response);
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
    const maxBytes = api ? limits.apiMaxBodyBytes : limits.otherMaxBodyBytes;
    let body: Buffer;
    try {
      body = await readBody(req, maxBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // DynamoDB answers 413 with an empty body; the admin API's errors are JSON.
        if (api) return refuseBody(req, res, limits, Buffer.alloc(0), TOO_LARGE_HEADERS);
        return refuseBody(req, res, limits, Buffer.from(JSON.stringify({ error: error.message })), { 'Content-Type': 'application/json' });
      }
      if (error instanceof BodyAborted) return void res.destroy();
      throw error;
    }
    if (api) return serveFrontDoor(ctx, frontDoor, req, res, body, maxBytes);
    // The hono adapter takes a body already read from `rawBody`.
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
    return fallback(req, res);
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const api = isFrontDoor(req);
    handle(req, res, api).catch((error: unknown) => {
      // Only a fault of the region's own reaches this far: bad input has its own answers.
      console.error(`[${ctx.region}] request failed:`, error);
      if (res.headersSent) return void res.destroy();
      if (api) send(res, errorResponse(new InternalServerError({ cause: error }), AMZ_JSON));
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
