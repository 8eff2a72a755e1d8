/** The region's hono app: health on GET /, and DynamoDB's JSON protocol on POST / for fetch-style callers. */
import { Hono } from 'hono';
import type { RegionContext } from '../dynamo/context.js';
import { FORCED_TIMESTAMP_HEADER } from '../dynamo/forcedTimestamp.js';
import { remoteAddress } from './adminAuth.js';
import { frame, handleApiRequest, type ApiFrontDoor, type ApiResponse } from './protocol.js';

function toResponse(response: ApiResponse): Response {
  return new Response(new Uint8Array(response.body), { status: response.status, headers: response.headers });
}

export function createApp(ctx: RegionContext, frontDoor: ApiFrontDoor): Hono {
  const app = new Hono();
  app.get('/', () => toResponse(frame(200, `healthy: dynamodb.${ctx.region}.amazonaws.com `, 'text/plain')));
  app.post('/', async (c) => {
    const forcedTimestamp = c.req.header(FORCED_TIMESTAMP_HEADER);
    return toResponse(await handleApiRequest(ctx, frontDoor, {
      target: c.req.header('x-amz-target') ?? '',
      contentType: c.req.header('content-type'),
      authorized: Boolean(c.req.header('authorization')) || new URL(c.req.url).searchParams.has('X-Amz-Algorithm'),
      ...(forcedTimestamp === undefined ? {} : { forcedTimestamp }),
      caller: { remoteAddress: remoteAddress(c), authorization: c.req.header('authorization') },
      body: new Uint8Array(await c.req.arrayBuffer()),
    }));
  });
  return app;
}
