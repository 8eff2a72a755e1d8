/**
 * DynamoDB API calls as raw JSON over fetch: for what the SDK cannot send or read back (null
 * members, wrong types, attribute names such as `__proto__`, which the SDK's own object
 * handling drops). Answers are parsed with JSON.parse, which keeps every name as data.
 */

export interface RawAnswer {
  status: number;
  /** The parsed body; errors have `__type` and `message`. */
  json: Record<string, any>;
  /** The error type without its namespace (e.g. ValidationException), if any. */
  error?: string;
}

export async function rawCall(endpoint: string, operation: string, body: string | object, service = 'DynamoDB_20120810'): Promise<RawAnswer> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      Authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'X-Amz-Date': '20260101T000000Z',
      'X-Amz-Target': `${service}.${operation}`,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  const type = typeof json.__type === 'string' ? json.__type.split('#').pop() : undefined;
  return { status: response.status, json, ...(type ? { error: type } : {}) };
}

/** Calls and expects success; throws with the error otherwise. */
export async function rawOk(endpoint: string, operation: string, body: string | object, service?: string): Promise<Record<string, any>> {
  const answer = await rawCall(endpoint, operation, body, service);
  if (answer.status !== 200) throw new Error(`${operation} failed: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

/** A value's JSON with object keys sorted, own `__proto__` members included, for comparisons. */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
