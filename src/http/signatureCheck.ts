/**
 * The signature check of a region with credentials (`auth: sigv4`). The signature is made again by
 * AWS's own SigV4 code (@smithy/signature-v4, with the SHA-256 the SDK signs with) from the request
 * as it came — method, path, query, the signed headers alone with their values as sent, and the
 * hash of the body's bytes as sent (compressed, if it was) — with the secret of the access key the
 * Credential names, and compared in constant time. The date must be within DynamoDB's window.
 */
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { ALGORITHM_IDENTIFIER, getCanonicalHeaders, getPayloadHash, SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from '../config/credentials.js';
import { InvalidSignatureException, UnrecognizedClientException, type DynamoError } from '../dynamo/errors.js';
import { longDateOf, SIGNING_SERVICE, type SignatureClaim } from './signatureClaim.js';

/** The request as it came, all a signature covers. */
export interface SignedRequest {
  method: string;
  /** The URL's path, without its query. */
  path: string;
  /** The URL's query string, without its `?`. */
  query: string;
  /** Node's rawHeaders: each name as sent followed by its value; a header sent twice appears twice. */
  rawHeaders: string[];
  /** The body as sent, before its Content-Encoding is undone. */
  body: Uint8Array;
}

/** The SDK's request shape, as its signing steps take it. */
type HttpRequest = Parameters<typeof getCanonicalHeaders>[0];

/** How far a request's date may be from the region's time, either way (DynamoDB's 15 minutes). */
const WINDOW_S = 15 * 60;

/** The values of a header, in the order sent. */
export function headerValues(rawHeaders: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) values.push(rawHeaders[i + 1]);
  return values;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The query as SigV4 canonicalizes it: names and values decoded, a name given twice kept twice. */
function queryRecord(query: string): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = Object.create(null);
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decoded(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decoded(pair.slice(equals + 1));
    const seen = record[name];
    record[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return record;
}

/** Written as "15 min." or "90 sec.", as DynamoDB writes the window in its messages. */
function spanText(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min.` : `${seconds} sec.`;
}

/** DynamoDB's complaint about a date outside the window (a presigned URL's own lifetime, when it names one), if it is. */
export function timeProblem(claim: Pick<SignatureClaim, 'longDate' | 'dateMs' | 'expiresS'>, nowMs: number): DynamoError | undefined {
  const now = longDateOf(nowMs);
  if (claim.dateMs > nowMs + WINDOW_S * 1000) {
    return new InvalidSignatureException(`Signature not yet current: ${claim.longDate} is still later than ${longDateOf(nowMs + WINDOW_S * 1000)} (${now} + ${spanText(WINDOW_S)})`);
  }
  const lifetimeS = claim.expiresS ?? WINDOW_S;
  if (claim.dateMs < nowMs - lifetimeS * 1000) {
    return new InvalidSignatureException(`Signature expired: ${claim.longDate} is now earlier than ${longDateOf(nowMs - lifetimeS * 1000)} (${now} - ${spanText(lifetimeS)})`);
  }
  return undefined;
}

/** The signing steps of one access key; the steps are the SDK's, only the inputs are the request's. */
class KeySigner extends SignatureV4 {
  constructor(credentials: Credentials) {
    // The region is the scope's, given on every call; no checksum header is added to anything.
    super({ credentials, region: '', service: SIGNING_SERVICE, sha256: Sha256, applyChecksum: false });
  }

  async signatureOf(request: HttpRequest, claim: SignatureClaim, payloadHash: string): Promise<string> {
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(claim.signedHeaders));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(claim.longDate, claim.scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    return this.sign(stringToSign, { signingDate: new Date(claim.dateMs), signingRegion: claim.region, signingService: SIGNING_SERVICE });
  }
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SignatureCheck {
  private readonly signers: Map<string, KeySigner>;

  /**
   * `trueNowMs`: the region's true time. A region's skew is a fault of its version clock, staged to
   * make conflicts; the service that checks signatures keeps true time, or skewing a region past 15
   * minutes would lock every client out instead of showing what the skew does to its writes.
   */
  constructor(credentials: Credentials[], private readonly trueNowMs: () => number) {
    this.signers = new Map(credentials.map((c) => [c.accessKeyId, new KeySigner(c)]));
  }

  get keyCount(): number {
    return this.signers.size;
  }

  /** DynamoDB's error for a claim the request does not bear out, if it does not. */
  async problem(claim: SignatureClaim, request: SignedRequest): Promise<DynamoError | undefined> {
    const late = timeProblem(claim, this.trueNowMs());
    if (late) return late;
    // Unsigned, the host would let a signature made for one endpoint be replayed at another.
    if (!claim.signedHeaders.includes('host')) return new InvalidSignatureException("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    const signer = this.signers.get(claim.accessKeyId);
    if (!signer) return new UnrecognizedClientException();
    const headers: Record<string, string> = Object.create(null);
    for (const name of claim.signedHeaders) {
      const values = headerValues(request.rawHeaders, name);
      if (values.length) headers[name] = values.map((v) => v.trim()).join(',');
    }
    const httpRequest: HttpRequest = { method: request.method, protocol: 'http:', hostname: '', path: request.path, query: queryRecord(request.query), headers };
    // The body's own hash, whatever an x-amz-content-sha256 header says: a signature covers the bytes sent.
    const payloadHash = await getPayloadHash({ ...httpRequest, headers: {}, body: request.body }, Sha256);
    const expected = await signer.signatureOf(httpRequest, claim, payloadHash);
    return sameSignature(expected, claim.signature) ? undefined : InvalidSignatureException.mismatch();
  }
}
