/**
 * ExecuteStatement's NextToken: an opaque string holding where the read stopped and a fingerprint
 * of the statement and its parameters, so a token is refused for any other request.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, Item } from '../../core/types.js';
import { invalid } from '../errors.js';

function fingerprint(statement: string, parameters: readonly AttributeValue[] | undefined): string {
  return createHash('sha256').update(JSON.stringify([statement, parameters ?? []])).digest('base64url').slice(0, 22);
}

export function encodeNextToken(statement: string, parameters: readonly AttributeValue[] | undefined, lastKey: Item): string {
  return Buffer.from(JSON.stringify({ f: fingerprint(statement, parameters), k: lastKey })).toString('base64url');
}

/** The key to resume after; ValidationException for a token this region did not hand out for this request. */
export function decodeNextToken(token: string, statement: string, parameters: readonly AttributeValue[] | undefined): Item {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return invalid('Invalid NextToken');
  }
  const { f, k } = (decoded ?? {}) as { f?: unknown; k?: unknown };
  if (typeof f !== 'string' || typeof k !== 'object' || k === null || Array.isArray(k)) invalid('Invalid NextToken');
  if (f !== fingerprint(statement, parameters)) invalid('NextToken does not match request');
  return k as Item;
}
