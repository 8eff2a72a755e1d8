/**
 * How a request body goes on the wire: its bytes (invalid UTF-8 spliced in, non-JSON bodies) and
 * its headers (missing or odd X-Amz-Target, Content-Type, Authorization, Content-Length, chunked),
 * and bodies cut short by a client that closes its side.
 * FRONT_DOOR_CASES are the requests only the HTTP front door's own limits can survive (body size,
 * body timeouts, nesting depth without recursion, expression depth); the fuzzer draws them unless
 * FUZZ_API_FRONT_DOOR=0.
 */
import fc from 'fast-check';
import { INVALID_UTF8_MARKER, INVALID_UTF8_SEQUENCES } from './mutations.js';
import type { RawRequest } from './rawHttp.js';

const MARKER = Buffer.from(INVALID_UTF8_MARKER);
/** A complete AWS4 Authorization header (the region checks its parts, not the signature) and the date it needs. */
export const SIGNED = 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';
export const SIGNED_DATE = '20260101T000000Z';

/** The JSON text, with each marker string replaced by an invalid UTF-8 sequence. */
export function encodeBody(request: unknown, variant: number): Buffer {
  let bytes = Buffer.from(JSON.stringify(request) ?? 'null');
  for (let at = bytes.indexOf(MARKER), n = variant; at >= 0; at = bytes.indexOf(MARKER), n += 1) {
    const invalid = Buffer.from(INVALID_UTF8_SEQUENCES[n % INVALID_UTF8_SEQUENCES.length]);
    bytes = Buffer.concat([bytes.subarray(0, at), invalid, bytes.subarray(at + MARKER.length)]);
  }
  return bytes;
}

export const nonJsonBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('', '{', '}', 'null', '[]', '123', '"x"', '{"TableName":', '{"a":1}garbage', '{"a":1,}', '\ufeff{}', '{"__proto__":{"polluted":1}}', '{"TableName":"a","TableName":"b"}')
    .map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
);

type Headers = [string, string][];

export const targetHeader = (prefix: string, operation: string): fc.Arbitrary<string | undefined> => fc.oneof(
  { weight: 40, arbitrary: fc.constant(`${prefix}.${operation}`) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, '', '.', `${prefix}.`, `.${operation}`, `${prefix}.Nope`, `Nope.${operation}`, `${prefix}.__proto__`,
    `${prefix}.constructor`, `${prefix}.toString`, `${prefix}.${operation}.x`, `${prefix.toLowerCase()}.${operation}`, 'x'.repeat(5000)) },
);

/** Headers for a body: the usual ones with, now and then, one of them missing or odd. */
export function headers(target: string | undefined, body: Buffer): fc.Arbitrary<RawRequest> {
  const contentType = fc.oneof(
    { weight: 30, arbitrary: fc.constant<string | undefined>('application/x-amz-json-1.0') },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'application/x-amz-json-1.1', 'application/json', 'text/plain', '', 'application/x-amz-json-1.0; charset=latin1', ';;;') },
  );
  const authorization = fc.oneof(
    { weight: 30, arbitrary: fc.constant<string | undefined>(SIGNED) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', 'x') },
  );
  const framing = fc.oneof({ weight: 30, arbitrary: fc.constant('length') }, { weight: 1, arbitrary: fc.constantFrom('chunked', 'shortLength', 'noLength', 'truncated') });
  return fc.tuple(contentType, authorization, framing).map(([type, auth, frame]) => {
    const list: Headers = [];
    if (target !== undefined) list.push(['X-Amz-Target', target]);
    if (type !== undefined) list.push(['Content-Type', type]);
    if (auth !== undefined) list.push(['Authorization', auth], ['X-Amz-Date', SIGNED_DATE]);
    if (frame === 'chunked') {
      list.push(['Transfer-Encoding', 'chunked']);
      const chunked = body.length ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : Buffer.from('0\r\n\r\n');
      return { headers: list, body: chunked };
    }
    // A declared length shorter than the body: the rest is not part of this request.
    if (frame === 'shortLength') list.push(['Content-Length', String(Math.floor(body.length / 2))]);
    else if (frame === 'length' || frame === 'truncated') list.push(['Content-Length', String(body.length)]);
    // A client that sends part of the declared body and then closes its side.
    return frame === 'truncated' ? { headers: list, body, sendBytes: Math.floor(body.length / 2) } : { headers: list, body };
  });
}

/** Requests that need the front door's limits, as PutItem requests (the target given). */
export const FRONT_DOOR_CASES: Record<string, (target: string) => RawRequest> = {
  deepNesting: (target) => {
    const value = `${'{"L":['.repeat(5000)}{"S":"x"}${']}'.repeat(5000)}`;
    return json(target, `{"TableName":"fuzz-hash","Item":{"pk":{"S":"deep"},"a":${value}}}`);
  },
  deepExpression: (target) => json(target, JSON.stringify({ TableName: 'fuzz-hash', Item: { pk: { S: 'p0' } }, ConditionExpression: '('.repeat(4096) })),
  truncatedBody: (target) => ({ ...json(target, '{"TableName":"fuzz-hash","Key":{"pk":{"S":"p0"}}}'), sendBytes: 10 }),
  declaredLengthNeverSent: (target) => ({ headers: [['X-Amz-Target', target], ['Content-Length', '1000000000000']], body: Buffer.from('{"TableName":"x"}'), sendBytes: 17, keepOpen: true }),
  hugeBody: (target) => json(target, `{"TableName":"fuzz-hash","Item":{"pk":{"S":"${'x'.repeat(20 * 1024 * 1024)}"}}}`),
};

function json(target: string, text: string): RawRequest {
  const body = Buffer.from(text);
  return { headers: [['X-Amz-Target', target], ['Content-Type', 'application/x-amz-json-1.0'], ['Authorization', SIGNED], ['X-Amz-Date', SIGNED_DATE], ['Content-Length', String(body.length)]], body };
}
