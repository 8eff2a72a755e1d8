/** DynamoDB's JSON protocol over HTTP: target routing, authentication check, and response framing. */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { RegionContext } from '../dynamo/context.js';
import { dispatchParsed, toDynamoError } from '../dynamo/dispatch.js';
import { SerializationException, UnknownOperationException, type DynamoError } from '../dynamo/errors.js';
import { FORCED_TIMESTAMP_HEADER, parseForcedTimestampHeader, type OperationOptions } from '../dynamo/forcedTimestamp.js';
import type { Operation } from '../dynamo/ops/operation.js';
import { parseRequestBody } from '../dynamo/validation/body.js';
import { ADMIN_TOKEN_CHALLENGE, adminRefusal, type AdminRefusal } from './adminAuth.js';
import { authenticationError } from './authentication.js';
import type { SignatureCheck, SignedRequest } from './signatureCheck.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ID_PREFIX = Array.from(randomBytes(40), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
let idCounter = 0;

/** 52 characters like DynamoDB's request ids: a random per-process prefix and a counter (cheap per request). */
export function requestId(): string {
  idCounter = (idCounter + 1) % 36 ** 8;
  return ID_PREFIX + idCounter.toString(36).toUpperCase().padStart(12, '0');
}

/** Each API the port serves: its target prefix and its operations. */
export interface ApiService {
  targetPrefix: string;
  operations: ReadonlyMap<string, Operation>;
}

/**
 * What a port serves the API with: its services, the admin token that admin-only headers need (see
 * adminAuth.ts), and the signature check when the region has credentials (`auth: sigv4`).
 */
export interface ApiFrontDoor {
  services: ApiService[];
  adminToken?: string;
  signatures?: SignatureCheck;
}

export interface ApiRequest {
  target: string | undefined;
  /** The content type answers are framed in (edges.ts picks it from the request's). */
  responseType: string;
  authorization: string | undefined;
  /** The URL's query string, without its `?`: a presigned request's signature travels there. */
  query: string;
  /** Whether an X-Amz-Date or a Date header came with the request (an Authorization header needs one). */
  hasDate: boolean;
  /** FORCED_TIMESTAMP_HEADER as sent, if sent. */
  forcedTimestamp?: string;
  /** Who sent the request: what the admin check of a forced timestamp looks at. */
  caller: { remoteAddress?: string; authorization?: string };
  /** The body as received (decoded of its Content-Encoding): decoding it is part of the request's validation. */
  body: Uint8Array;
  /** The request as it came, which a signature covers. */
  signed: SignedRequest;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

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

export function errorResponse(error: DynamoError, responseType: string): ApiResponse {
  return frame(error.statusCode, JSON.stringify(error.toBody()), responseType);
}

/** The admin guard's answer, in its JSON shape (the caller is refused as an admin caller, not as a DynamoDB client). */
function adminOnlyResponse(refusal: AdminRefusal): ApiResponse {
  const response = frame(refusal.status, JSON.stringify({ error: refusal.error }), 'application/json');
  if (refusal.askForToken) response.headers['WWW-Authenticate'] = ADMIN_TOKEN_CHALLENGE;
  return response;
}

/**
 * One API call, checked in DynamoDB's order: the body must be JSON, then the target a known
 * operation, then the request signed; an empty body passes the first check but not the last.
 */
export async function handleApiRequest(ctx: RegionContext, api: ApiFrontDoor, request: ApiRequest): Promise<ApiResponse> {
  const { responseType } = request;
  let parsed: unknown;
  try {
    parsed = parseRequestBody(request.body);
  } catch (error) {
    return errorResponse(toDynamoError(error), responseType);
  }
  const target = request.target ?? '';
  const dot = target.lastIndexOf('.');
  const service = api.services.find((s) => s.targetPrefix === target.slice(0, dot));
  const operation = target.slice(dot + 1);
  if (!service || !service.operations.has(operation)) return errorResponse(new UnknownOperationException(), responseType);
  // A forced timestamp's admin token travels in Authorization, in the signature's place: the
  // admin guard below judges that request instead.
  const unsigned = request.forcedTimestamp === undefined ? await authenticationError(request, request.signed, api.signatures) : undefined;
  if (unsigned) return errorResponse(unsigned, responseType);
  if (!request.body.length) return errorResponse(new SerializationException(''), responseType);
  const options: OperationOptions = {};
  if (request.forcedTimestamp !== undefined) {
    // Forcing a version's timestamp stages conflicts at will: only callers allowed admin changes may.
    const refusal = adminRefusal(api.adminToken, request.caller, `the ${FORCED_TIMESTAMP_HEADER} header`);
    if (refusal) return adminOnlyResponse(refusal);
    options.timestampMs = parseForcedTimestampHeader(request.forcedTimestamp);
  }
  const result = await dispatchParsed(ctx, service.operations, operation, parsed, options);
  return frame(result.status, JSON.stringify(result.body), responseType);
}
