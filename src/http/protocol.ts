/** DynamoDB's JSON protocol over HTTP: target routing, authentication check, and response framing. */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { RegionContext } from '../dynamo/context.js';
import { dispatch } from '../dynamo/dispatch.js';
import { MissingAuthenticationTokenException, UnknownOperationException, type DynamoError } from '../dynamo/errors.js';
import { FORCED_TIMESTAMP_HEADER, parseForcedTimestampHeader, type OperationOptions } from '../dynamo/forcedTimestamp.js';
import type { Operation } from '../dynamo/ops/operation.js';
import { ADMIN_TOKEN_CHALLENGE, adminRefusal, type AdminRefusal } from './adminAuth.js';

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

/** What a port serves the API with: its services, and the admin token that admin-only headers need (see adminAuth.ts). */
export interface ApiFrontDoor {
  services: ApiService[];
  adminToken?: string;
}

export interface ApiRequest {
  target: string;
  contentType: string | undefined;
  authorized: boolean;
  /** FORCED_TIMESTAMP_HEADER as sent, if sent. */
  forcedTimestamp?: string;
  /** Who sent the request: what the admin check of a forced timestamp looks at. */
  caller: { remoteAddress?: string; authorization?: string };
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

/** The admin guard's answer, in its JSON shape (the caller is refused as an admin caller, not as a DynamoDB client). */
function adminOnlyResponse(refusal: AdminRefusal): ApiResponse {
  const response = frame(refusal.status, JSON.stringify({ error: refusal.error }), 'application/json');
  if (refusal.askForToken) response.headers['WWW-Authenticate'] = ADMIN_TOKEN_CHALLENGE;
  return response;
}

export async function handleApiRequest(ctx: RegionContext, api: ApiFrontDoor, request: ApiRequest): Promise<ApiResponse> {
  const dot = request.target.lastIndexOf('.');
  const service = api.services.find((s) => s.targetPrefix === request.target.slice(0, dot));
  const contentType = responseType(request.contentType);
  if (!service) return errorResponse(new UnknownOperationException(), contentType);
  if (!request.authorized) return errorResponse(new MissingAuthenticationTokenException(), contentType);
  const options: OperationOptions = {};
  if (request.forcedTimestamp !== undefined) {
    // Forcing a version's timestamp stages conflicts at will: only callers allowed admin changes may.
    const refusal = adminRefusal(api.adminToken, request.caller, `the ${FORCED_TIMESTAMP_HEADER} header`);
    if (refusal) return adminOnlyResponse(refusal);
    options.timestampMs = parseForcedTimestampHeader(request.forcedTimestamp);
  }
  const result = await dispatch(ctx, service.operations, request.target.slice(dot + 1), request.body, options);
  return frame(result.status, JSON.stringify(result.body), contentType);
}
