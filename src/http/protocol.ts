/** DynamoDB's JSON protocol over HTTP: target routing, authentication check, and response framing. */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { RegionContext } from '../dynamo/context.js';
import { dispatch } from '../dynamo/dispatch.js';
import { MissingAuthenticationTokenException, UnknownOperationException, type DynamoError } from '../dynamo/errors.js';
import type { Operation } from '../dynamo/ops/operation.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ID_PREFIX = Array.from(randomBytes(40), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
let idCounter = 0;

/** 52 characters like DynamoDB's request ids: a random per-process prefix and a counter (cheap per request). */
function requestId(): string {
  idCounter = (idCounter + 1) % 36 ** 8;
  return ID_PREFIX + idCounter.toString(36).toUpperCase().padStart(12, '0');
}

/** Each API the port serves: its target prefix and its operations. */
export interface ApiService {
  targetPrefix: string;
  operations: ReadonlyMap<string, Operation>;
}

export interface ApiRequest {
  target: string;
  contentType: string | undefined;
  authorized: boolean;
  /** The body as received: decoding it is part of the request's validation. */
  body: Uint8Array;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const DEFAULT_TYPE = 'application/x-amz-json-1.0';

export function frame(status: number, text: string, contentType: string): ApiResponse {
  const body = Buffer.from(text, 'utf8');
  return {
    status,
    body,
    headers: {
      'Content-Type': contentType,
      'Content-Length': String(body.length),
      'x-amzn-RequestId': requestId(),
      // Clients such as boto3 verify this checksum of the exact body bytes.
      'x-amz-crc32': String(crc32(body)),
    },
  };
}

function responseType(requested: string | undefined): string {
  return requested?.startsWith('application/x-amz-json') ? requested : DEFAULT_TYPE;
}

export function errorResponse(error: DynamoError, requestedType: string | undefined): ApiResponse {
  return frame(error.statusCode, JSON.stringify(error.toBody()), responseType(requestedType));
}

export async function handleApiRequest(ctx: RegionContext, services: ApiService[], request: ApiRequest): Promise<ApiResponse> {
  const dot = request.target.lastIndexOf('.');
  const service = services.find((s) => s.targetPrefix === request.target.slice(0, dot));
  const contentType = responseType(request.contentType);
  if (!service) return errorResponse(new UnknownOperationException(), contentType);
  if (!request.authorized) return errorResponse(new MissingAuthenticationTokenException(), contentType);
  const result = await dispatch(ctx, service.operations, request.target.slice(dot + 1), request.body);
  return frame(result.status, JSON.stringify(result.body), contentType);
}
