/** A small DynamoDB JSON-protocol client for scenarios: plain values in and out, errors as classes. */
import type { AttributeValue, Item } from '../core/types.js';

export class DynamoCallError extends Error {
  constructor(readonly type: string, message: string, readonly status: number) {
    super(`${type}: ${message}`);
    this.name = 'DynamoCallError';
  }
}

export class RegionUnreachableError extends Error {
  constructor(endpoint: string, options?: { cause?: unknown }) {
    super(`${endpoint} is unreachable`, options);
    this.name = 'RegionUnreachableError';
  }
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

/** One DynamoDB API call; resolves with the response body, throws DynamoCallError for an error response. */
export async function callDynamo<T = Record<string, unknown>>(endpoint: string, operation: string, body: unknown, timeoutMs = 10_000): Promise<T> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        // The region checks that a request is signed, not the signature.
        authorization: 'AWS4-HMAC-SHA256 Credential=scenario/20240101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new RegionUnreachableError(endpoint, { cause: error });
  }
  const parsed = await response.json() as Record<string, unknown>;
  if (!response.ok) {
    const type = String(parsed.__type ?? 'UnknownError').split('#').pop()!;
    throw new DynamoCallError(type, String(parsed.message ?? parsed.Message ?? ''), response.status);
  }
  return parsed as T;
}
