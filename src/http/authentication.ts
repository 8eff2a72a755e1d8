/**
 * The signature check a region makes: that a request is signed (an AWS4 Authorization header, or
 * a presigned URL's X-Amz-Algorithm), not both ways at once, and with every part a signature has.
 * Without credentials (`auth: none`, the default, as DynamoDB Local) that is all: any key is
 * welcome. With them, the signature itself is verified (signatureCheck.ts).
 */
import {
  DynamoError, IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException,
} from '../dynamo/errors.js';
import { headerClaim, queryClaim } from './signatureClaim.js';
import { headerValues, type SignatureCheck, type SignedRequest } from './signatureCheck.js';

/** What a signed request carries: its Authorization header, its query string, and whether it names a date. */
export interface SignedParts {
  authorization: string | undefined;
  /** The URL's query string, without its `?`. */
  query: string;
  /** Whether an X-Amz-Date or a Date header came with the request. */
  hasDate: boolean;
}

const HEADER_PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'];
const QUERY_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];

/** The value of each `name=value` pair in a list (a name without `=` has the empty value). */
function pairs(entries: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals < 0) values.set(entry, '');
    else values.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return values;
}

function queryParameters(query: string): Map<string, string> {
  if (query === '') return new Map();
  return pairs(query.split('&').map((pair) => {
    try {
      return decodeURIComponent(pair.replace(/\+/g, ' '));
    } catch {
      return pair;
    }
  }));
}

/** The parameters of an Authorization header: they follow the algorithm, separated by commas and/or spaces. */
function headerParameters(authorization: string): Map<string, string> {
  return pairs(authorization.split(/[, ]/).slice(1).filter(Boolean));
}

/** DynamoDB's complaint about an AWS4 Authorization header that lacks a part, if it does. */
function incompleteHeader(authorization: string, parameters: Map<string, string>, hasDate: boolean): DynamoError | undefined {
  let message = HEADER_PARAMETERS
    .filter((name) => !parameters.get(name))
    .map((name) => `Authorization header requires '${name}' parameter. `)
    .join('');
  if (!hasDate) message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  return message ? new IncompleteSignatureException(`${message}Authorization=${authorization}`) : undefined;
}

/** DynamoDB's complaint about a presigned URL that lacks a parameter, if it does. */
function incompleteQuery(parameters: Map<string, string>): DynamoError | undefined {
  const missing = QUERY_PARAMETERS.filter((name) => !parameters.get(name));
  if (!missing.length) return undefined;
  const message = missing.map((name) => `AWS query-string parameters must include '${name}'. `).join('');
  return new IncompleteSignatureException(`${message}Re-examine the query-string parameters.`);
}

/**
 * DynamoDB's error for a request that is not signed the way it accepts, if it is not; with a
 * check, also for one whose signature is not its key's, or out of its time.
 */
export async function authenticationError({ authorization, query, hasDate }: SignedParts, request: SignedRequest, check?: SignatureCheck): Promise<DynamoError | undefined> {
  const parameters = queryParameters(query);
  const presigned = parameters.has('X-Amz-Algorithm');
  if (authorization && presigned) {
    return new InvalidSignatureException("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (presigned) {
    const incomplete = incompleteQuery(parameters);
    if (incomplete || !check) return incomplete;
    const claim = queryClaim(parameters);
    return claim instanceof DynamoError ? claim : check.problem(claim, request);
  }
  if (!authorization || !authorization.trimStart().startsWith('AWS4-')) return new MissingAuthenticationTokenException();
  const fields = headerParameters(authorization);
  const incomplete = incompleteHeader(authorization, fields, hasDate);
  if (incomplete || !check) return incomplete;
  const claim = headerClaim(authorization.trimStart().split(/[, ]/)[0], fields, headerValues(request.rawHeaders, 'x-amz-date')[0], headerValues(request.rawHeaders, 'date')[0]);
  return claim instanceof DynamoError ? claim : check.problem(claim, request);
}
