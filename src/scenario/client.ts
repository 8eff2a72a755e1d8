/** A small DynamoDB JSON-protocol client for scenarios: plain values in and out, errors as classes. */
import { adminHeaders } from '../config/adminToken.js';
import type { AttributeValue, Item } from '../core/types.js';
import { FORCED_TIMESTAMP_HEADER } from '../dynamo/forcedTimestamp.js';
import { signedHeaders, type SigningKey } from './signing.js';

export class DynamoCallError extends Error {
  constructor(readonly type: string, message: string, readonly status: number) {
    super(`${type}: ${message}`);
    this.name = 'DynamoCallError';
  }
}

export class RegionUnreachableError extends Error {
  constructor(endpoint: string, options?: { cause?: unknown; detail?: string }) {
    super(`${endpoint} is unreachable${options?.detail ? ` (${options.detail})` : ''}`, options);
    this.name = 'RegionUnreachableError';
  }
}

/** What the socket said: a refused connection, a reset, a time-out; fetch hides it one `cause` deep. */
function failureOf(error: unknown): string {
  const inner = (error as { cause?: unknown }).cause ?? error;
  const { code, name, message } = inner as { code?: string; name?: string; message?: string };
  return code ?? (name === 'TimeoutError' ? 'no answer in time' : message ?? String(inner));
}

export function marshal(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshal) };
  if (typeof value === 'object') return { M: marshalItem(value as Record<string, unknown>) };
  throw new TypeError(`cannot store ${typeof value} values`);
}

export function marshalItem(item: Record<string, unknown>): Item {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, marshal(v)]));
}

export function unmarshal(value: AttributeValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(unmarshal);
  if ('M' in value) return unmarshalItem(value.M);
  if ('SS' in value) return value.SS;
  if ('NS' in value) return value.NS.map(Number);
  if ('B' in value) return value.B;
  return value.BS;
}

export function unmarshalItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, unmarshal(v)]));
}

export interface CallOptions {
  /** The write's version carries this timestamp (FORCED_TIMESTAMP_HEADER), not the region's clock's. */
  timestampMs?: number;
  /** The region's admin token, which a forced timestamp needs when the region has one. */
  adminToken?: string;
  /** The key to sign with, when the region checks signatures; without, the call carries a signature of the right form only. */
  signing?: SigningKey;
}

/** A region without credentials checks that a request is signed, not the signature. */
const SIGNATURE_DATE = '20240101T000000Z';
const UNCHECKED_SIGNATURE = 'AWS4-HMAC-SHA256 Credential=scenario/20240101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

/** The headers of one DynamoDB API call: its target and a signature of the form the region checks. */
export function dynamoHeaders(operation: string): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    authorization: UNCHECKED_SIGNATURE,
    'x-amz-date': SIGNATURE_DATE,
  };
}

/** The headers of one call: signed with `signing` when given (for the endpoint and body they go with), else of the checked form. */
export async function callHeaders(endpoint: string, operation: string, body: string, signing: SigningKey | undefined): Promise<Record<string, string>> {
  const headers = dynamoHeaders(operation);
  if (!signing) return headers;
  const { authorization: _unchecked, 'x-amz-date': _date, ...unsigned } = headers;
  return signedHeaders(endpoint, signing, unsigned, body);
}

/** One DynamoDB API call; resolves with the response body, throws DynamoCallError for an error response. */
export async function callDynamo<T = Record<string, unknown>>(
  endpoint: string, operation: string, body: unknown, timeoutMs = 10_000, options: CallOptions = {},
): Promise<T> {
  const text = JSON.stringify(body);
  // Only a forced timestamp needs the admin token; it takes the signature's place, in
  // Authorization, as on admin calls (elsewhere a bearer token is no signature), and the admin
  // guard judges that call instead of the signature check.
  const headers = options.timestampMs === undefined
    ? await callHeaders(endpoint, operation, text, options.signing)
    : { ...dynamoHeaders(operation), ...adminHeaders(options.adminToken), [FORCED_TIMESTAMP_HEADER]: String(options.timestampMs) };
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: text,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new RegionUnreachableError(endpoint, { cause: error, detail: failureOf(error) });
  }
  const parsed = await response.json() as Record<string, unknown>;
  if (!response.ok) throw dynamoCallErrorOf(parsed, response.status);
  return parsed as T;
}

/** The error a DynamoDB error answer stands for (`__type` is `<namespace>#<type>`). */
export function dynamoCallErrorOf(body: Record<string, unknown>, status: number): DynamoCallError {
  const type = String(body.__type ?? 'UnknownError').split('#').pop()!;
  // An admin refusal (of a forced timestamp) says why in `error`.
  return new DynamoCallError(type, String(body.message ?? body.Message ?? body.error ?? ''), status);
}
