/**
 * What a complete SigV4 signature claims, read from the Authorization header or a presigned URL's
 * query: who signed (the access key), for which date, region and service, which headers it covers,
 * and the signature itself. authentication.ts has checked that every part is there.
 */
import { IncompleteSignatureException, InvalidSignatureException, type DynamoError } from '../dynamo/errors.js';

export const SIGNING_ALGORITHM = 'AWS4-HMAC-SHA256';
/** The service every DynamoDB and DynamoDB Streams request is signed for. */
export const SIGNING_SERVICE = 'dynamodb';
const SCOPE_TERMINATOR = 'aws4_request';
/** A presigned URL lives at most a week, as SigV4 allows. */
const MAX_EXPIRES_S = 604_800;

export interface SignatureClaim {
  accessKeyId: string;
  /** The Credential's scope as signed: date/region/service/aws4_request. */
  scope: string;
  region: string;
  /** The names of the signed headers, lower case, as listed. */
  signedHeaders: string[];
  signature: string;
  /** The request's date as signed, in ISO 8601 basic format (20240101T000000Z). */
  longDate: string;
  dateMs: number;
  /** A presigned URL's lifetime, in seconds, when it names one. */
  expiresS?: number;
}

/** `20240101T000000Z` as epoch ms, or undefined when it is not that format. */
export function parseLongDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 20240230 over to March: a date that rolls over is no date.
  return longDateOf(ms) === value ? ms : undefined;
}

/** Epoch ms in ISO 8601 basic format, the form SigV4 signs and DynamoDB's messages print. */
export function longDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

function badDate(value: string): DynamoError {
  return new IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

/** The date an Authorization header's signature is for: X-Amz-Date, else the Date header (an HTTP date). */
function headerDate(amzDate: string | undefined, date: string | undefined): { longDate: string; dateMs: number } | DynamoError {
  if (amzDate !== undefined) {
    const dateMs = parseLongDate(amzDate);
    return dateMs === undefined ? badDate(amzDate) : { longDate: amzDate, dateMs };
  }
  const dateMs = Date.parse(date ?? '');
  return Number.isNaN(dateMs) ? badDate(date ?? '') : { longDate: longDateOf(dateMs), dateMs };
}

/** The scope's complaints, as DynamoDB words them, joined; empty when the scope is right. */
function scopeProblems(parts: string[], longDate: string): string {
  const [, date, , service, terminator] = parts;
  const problems: string[] = [];
  if (service !== SIGNING_SERVICE) problems.push(`Credential should be scoped to correct service: '${SIGNING_SERVICE}'. `);
  if (terminator !== SCOPE_TERMINATOR) problems.push(`Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator}'. `);
  if (date !== longDate.slice(0, 8)) {
    const quoted = (text: string): string => `'${text}'`;
    problems.push(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ${quoted(date)} != ${quoted(longDate.slice(0, 8))}, from ${quoted(longDate)}. `);
  }
  return problems.join('');
}

interface RawClaim {
  algorithm: string;
  credential: string;
  signedHeaders: string;
  signature: string;
  date: { longDate: string; dateMs: number } | DynamoError;
  expires?: string;
}

function claimOf(raw: RawClaim): SignatureClaim | DynamoError {
  if (raw.date instanceof Error) return raw.date;
  // No key makes a signature of another algorithm (SigV4a's, say) that this check could match.
  if (raw.algorithm !== SIGNING_ALGORITHM) return InvalidSignatureException.mismatch();
  const parts = raw.credential.split('/');
  if (parts.length !== 5) {
    return new IncompleteSignatureException(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${raw.credential}'`);
  }
  const problems = scopeProblems(parts, raw.date.longDate);
  if (problems) return new InvalidSignatureException(problems);
  let expiresS: number | undefined;
  if (raw.expires !== undefined) {
    expiresS = /^\d{1,7}$/.test(raw.expires) ? Number(raw.expires) : Number.NaN;
    if (!(expiresS >= 0 && expiresS <= MAX_EXPIRES_S)) {
      return new InvalidSignatureException(`X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_EXPIRES_S} seconds`);
    }
  }
  return {
    accessKeyId: parts[0],
    scope: parts.slice(1).join('/'),
    region: parts[2],
    signedHeaders: raw.signedHeaders.split(';'),
    // Hex digits in either case name the same signature.
    signature: raw.signature.toLowerCase(),
    ...raw.date,
    ...(expiresS === undefined ? {} : { expiresS }),
  };
}

/** The claim of `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (parameters as authentication.ts found them). */
export function headerClaim(algorithm: string, parameters: Map<string, string>, amzDate: string | undefined, date: string | undefined): SignatureClaim | DynamoError {
  return claimOf({
    algorithm,
    credential: parameters.get('Credential') ?? '',
    signedHeaders: parameters.get('SignedHeaders') ?? '',
    signature: parameters.get('Signature') ?? '',
    date: headerDate(amzDate, date),
  });
}

/** The claim of a presigned URL's X-Amz-* parameters. */
export function queryClaim(parameters: Map<string, string>): SignatureClaim | DynamoError {
  const amzDate = parameters.get('X-Amz-Date') ?? '';
  const dateMs = parseLongDate(amzDate);
  return claimOf({
    algorithm: parameters.get('X-Amz-Algorithm') ?? '',
    credential: parameters.get('X-Amz-Credential') ?? '',
    signedHeaders: parameters.get('X-Amz-SignedHeaders') ?? '',
    signature: parameters.get('X-Amz-Signature') ?? '',
    date: dateMs === undefined ? badDate(amzDate) : { longDate: amzDate, dateMs },
    ...(parameters.has('X-Amz-Expires') ? { expires: parameters.get('X-Amz-Expires') } : {}),
  });
}
