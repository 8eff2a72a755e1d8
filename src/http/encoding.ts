/**
 * Compressed bodies. A request body sent with `Content-Encoding: gzip` (or deflate) is decoded
 * before it is read, never past the API's body limit (inflating stops there, so a small body that
 * inflates to gigabytes costs no more than the limit). An answer of 4 KiB or more is compressed
 * when the client accepts gzip or deflate, as DynamoDB does; its x-amz-crc32 is then the checksum
 * of the compressed bytes, the ones on the wire, as DynamoDB computes it.
 */
import { promisify } from 'node:util';
import { crc32, deflate, gunzip, gzip, inflate } from 'node:zlib';
import type { ApiResponse } from './protocol.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

/** The smallest answer DynamoDB compresses. */
export const COMPRESSION_THRESHOLD_BYTES = 4096;

/** The decoded body would pass the limit. */
export class DecodedBodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`decoded request body over ${maxBytes} bytes`);
    this.name = 'DecodedBodyTooLarge';
  }
}

/** A Content-Encoding the region cannot decode, or a body that is not what it says it is. */
export class UndecodableBody extends Error {
  constructor(encoding: string, options?: { cause?: unknown }) {
    super(`request body not decodable as ${encoding}`, options);
    this.name = 'UndecodableBody';
  }
}

function isOutputLimit(error: unknown): boolean {
  return error instanceof RangeError && (error as RangeError & { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
}

/** The body as sent, undone of its Content-Encoding (none and `identity` leave it as it is). */
export async function decodeBody(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return body;
  const decode = encoding === 'gzip' ? gunzipAsync : encoding === 'deflate' ? inflateAsync : undefined;
  if (!decode) throw new UndecodableBody(encoding);
  try {
    // maxOutputLength makes zlib stop (RangeError) once its output passes the limit.
    return await decode(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if (isOutputLimit(error)) throw new DecodedBodyTooLarge(maxBytes);
    throw new UndecodableBody(encoding, { cause: error });
  }
}

type ResponseEncoding = 'gzip' | 'deflate';

/**
 * The encoding DynamoDB picks from an Accept-Encoding header: the highest quality of gzip and
 * deflate (a quality over 1 counts as 1, one that is not a number as 1, zero or less refuses), an
 * encoding named outright before one that only `*` accepts, then the one named first (gzip for
 * `*` alone). Entries it does not know (identity, br, malformed ones) are passed over.
 */
export function chooseResponseEncoding(acceptEncoding: string): ResponseEncoding | undefined {
  const named = new Map<string, { quality: number; position: number }>();
  acceptEncoding.split(',').forEach((entry, position) => {
    const [rawName, ...params] = entry.split(';');
    const name = rawName.trim().toLowerCase();
    if (name !== 'gzip' && name !== 'deflate' && name !== '*') return;
    let quality = 1;
    const q = params.map((param) => param.split('=')).find(([key]) => key.trim() === 'q');
    if (q && q.length > 1) {
      const value = q[1].trim();
      const parsed = value === '' ? Number.NaN : Number(value);
      if (!Number.isNaN(parsed)) quality = Math.min(parsed, 1);
    }
    const seen = named.get(name);
    named.set(name, { quality: Math.max(quality, seen?.quality ?? -Infinity), position: seen?.position ?? position });
  });
  const star = named.get('*');
  let best: { encoding: ResponseEncoding; quality: number; explicit: boolean; position: number } | undefined;
  for (const encoding of ['gzip', 'deflate'] as const) {
    const own = named.get(encoding);
    const candidate = own
      ? { encoding, quality: own.quality, explicit: true, position: own.position }
      : star && { encoding, quality: star.quality, explicit: false, position: Number.MAX_SAFE_INTEGER };
    if (!candidate || candidate.quality <= 0) continue;
    if (!best || candidate.quality > best.quality
      || (candidate.quality === best.quality && candidate.explicit && (!best.explicit || candidate.position < best.position))) {
      best = candidate;
    }
  }
  return best?.encoding;
}

/** The answer compressed for a client that accepts it, if it is large enough to be. */
export async function compressAnswer(response: ApiResponse, acceptEncoding: string | undefined): Promise<ApiResponse> {
  if (acceptEncoding === undefined || response.body.length < COMPRESSION_THRESHOLD_BYTES) return response;
  const encoding = chooseResponseEncoding(acceptEncoding);
  if (!encoding) return response;
  const body = await (encoding === 'gzip' ? gzipAsync : deflateAsync)(response.body);
  return {
    status: response.status,
    body,
    headers: {
      ...response.headers,
      'Content-Encoding': encoding,
      'Content-Length': String(body.length),
      'x-amz-crc32': String(crc32(body)),
    },
  };
}
