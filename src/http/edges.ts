/**
 * DynamoDB's answers at the edge of its HTTP protocol, before a request is an API call: CORS
 * (a preflight, and the headers any answer carries when the request names an Origin), the health
 * line for a GET, 404 for what is not a JSON POST, and the content type an answer is framed in.
 */
import { crc32 } from 'node:zlib';
import { requestId, type ApiResponse } from './protocol.js';

export const AMZ_JSON = 'application/x-amz-json-1.0';
const PLAIN_JSON = 'application/json';

/** What DynamoDB lets a browser script read of its answers. */
const EXPOSED_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date';
/** How long a browser may keep a preflight's answer (two days, as DynamoDB says). */
const PREFLIGHT_MAX_AGE_S = '172800';

const NOT_FOUND_BODY = Buffer.from('<UnknownOperationException/>\n');
const NOT_FOUND_CRC32 = String(crc32(NOT_FOUND_BODY));

export type Edge =
  | { kind: 'preflight' }
  | { kind: 'health' }
  | { kind: 'notFound' }
  /** An API call, answered in `responseType`. */
  | { kind: 'api'; responseType: string };

const PREFLIGHT: Edge = { kind: 'preflight' };
const HEALTH: Edge = { kind: 'health' };
const NOT_FOUND: Edge = { kind: 'notFound' };
const API_AMZ_JSON: Edge = { kind: 'api', responseType: AMZ_JSON };
const API_PLAIN_JSON: Edge = { kind: 'api', responseType: PLAIN_JSON };

/**
 * Which answer a request to `/` gets. DynamoDB takes a POST whose body is either empty or typed
 * as JSON (`application/json` or `application/x-amz-json-1.0`, parameters after `;` ignored) and
 * answers in the x-amz type only when asked in it; an OPTIONS with an Origin is a CORS preflight;
 * a GET is a health check; anything else is not found.
 */
export function classifyRequest(method: string | undefined, contentType: string | undefined, hasOrigin: boolean, bodyBytes: number): Edge {
  if (method === 'POST') {
    const semicolon = contentType === undefined ? -1 : contentType.indexOf(';');
    const mediaType = contentType === undefined ? '' : (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim();
    if (mediaType === AMZ_JSON) return API_AMZ_JSON;
    return mediaType === PLAIN_JSON || bodyBytes === 0 ? API_PLAIN_JSON : NOT_FOUND;
  }
  if (method === 'GET') return HEALTH;
  return method === 'OPTIONS' && hasOrigin ? PREFLIGHT : NOT_FOUND;
}

/** The headers every answer to a request with an Origin carries: any origin may call. */
export function corsHeaders(): Record<string, string> {
  return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED_HEADERS };
}

/** A preflight allows whatever headers and method the browser asks for, with an empty body. */
export function preflightAnswer(requestedHeaders: string | undefined, requestedMethod: string | undefined): ApiResponse {
  return {
    status: 200,
    body: Buffer.alloc(0),
    headers: {
      'x-amzn-RequestId': requestId(),
      ...corsHeaders(),
      ...(requestedHeaders ? { 'Access-Control-Allow-Headers': requestedHeaders } : {}),
      ...(requestedMethod ? { 'Access-Control-Allow-Methods': requestedMethod } : {}),
      'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_S,
      'Content-Length': '0',
    },
  };
}

/** DynamoDB's 404: a one-line XML body and no content type. */
export function notFoundAnswer(): ApiResponse {
  return {
    status: 404,
    body: NOT_FOUND_BODY,
    headers: { 'x-amzn-RequestId': requestId(), 'x-amz-crc32': NOT_FOUND_CRC32, 'Content-Length': String(NOT_FOUND_BODY.length) },
  };
}
