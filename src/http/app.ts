/** The region's HTTP face: DynamoDB's JSON protocol on POST /, health on GET /. */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Hono } from 'hono';
import type { RegionContext } from '../dynamo/context.js';
import { dispatch } from '../dynamo/dispatch.js';
import { MissingAuthenticationTokenException, UnknownOperationException } from '../dynamo/errors.js';
import type { Operation } from '../dynamo/ops/operation.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 52 characters like DynamoDB's request ids. */
function requestId(): string {
  const bytes = randomBytes(52);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

/** Each API the port serves: its target prefix and its operations. */
export interface ApiService {
  targetPrefix: string;
  operations: ReadonlyMap<string, Operation>;
}

function respond(status: number, body: string, contentType: string): Response {
  const bytes = Buffer.from(body, 'utf8');
  return new Response(bytes, {
    status,
    headers: {
      'Content-Type': contentType,
      'x-amzn-RequestId': requestId(),
      // Clients such as boto3 verify this checksum of the exact body bytes.
      'x-amz-crc32': String(crc32(bytes)),
    },
  });
}

function isAuthenticated(request: Request): boolean {
  if (request.headers.get('authorization')) return true;
  return new URL(request.url).searchParams.has('X-Amz-Algorithm');
}

export function createApp(ctx: RegionContext, services: ApiService[]): Hono {
  const app = new Hono();
  const contentType = 'application/x-amz-json-1.0';

  app.get('/', () => respond(200, `healthy: dynamodb.${ctx.region}.amazonaws.com `, 'text/plain'));

  app.post('/', async (c) => {
    const target = c.req.header('x-amz-target') ?? '';
    const dot = target.lastIndexOf('.');
    const service = services.find((s) => s.targetPrefix === target.slice(0, dot));
    const type = c.req.header('content-type') ?? contentType;
    if (!service) {
      const error = new UnknownOperationException();
      return respond(error.statusCode, JSON.stringify(error.toBody()), type);
    }
    if (!isAuthenticated(c.req.raw)) {
      const error = new MissingAuthenticationTokenException();
      return respond(error.statusCode, JSON.stringify(error.toBody()), type);
    }
    const result = await dispatch(ctx, service.operations, target.slice(dot + 1), await c.req.text());
    return respond(result.status, JSON.stringify(result.body), type.startsWith('application/x-amz-json') ? type : contentType);
  });

  return app;
}
