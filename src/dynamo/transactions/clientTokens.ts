/**
 * ClientRequestToken idempotency of TransactWriteItems: for 10 minutes after a transaction with a
 * token succeeded, the same token with the same actions succeeds again without writing, and with
 * other actions is refused. Tokens are kept per store in memory: a region that restarts (a new
 * store) forgets them, as it would forget any request in flight.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../../storage/store.js';
import { IdempotentParameterMismatchException } from '../errors.js';

export const TOKEN_LIFETIME_MS = 10 * 60 * 1000;
/**
 * The AWS SDKs send a fresh token with every TransactWriteItems, so a busy region sees many: past
 * this many, the oldest is forgotten first (a bound on memory no client can push past).
 */
export const MAX_REMEMBERED_TOKENS = 100_000;

export interface RememberedTransaction {
  fingerprint: string;
  expiresAtMs: number;
  /** Per table, what reading the transaction's items again costs: a replay's bill. */
  replayUnits: Map<string, number>;
}

const tokensByStore = new WeakMap<Store, Map<string, RememberedTransaction>>();

function tokensOf(store: Store): Map<string, RememberedTransaction> {
  let tokens = tokensByStore.get(store);
  if (!tokens) {
    tokens = new Map();
    tokensByStore.set(store, tokens);
  }
  return tokens;
}

/** The value as text that ignores the order of members within each object. */
function canonicalText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalText((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A digest of the request's actions (up to 4 MB of them): what a token is compared on. */
export function fingerprintOf(actions: unknown): string {
  return createHash('sha256').update(canonicalText(actions)).digest('base64');
}

/** Drops expired tokens: they were remembered in order of their expiry. */
function dropExpired(tokens: Map<string, RememberedTransaction>, nowMs: number): void {
  for (const [token, remembered] of tokens) {
    if (remembered.expiresAtMs > nowMs) break;
    tokens.delete(token);
  }
}

/** The transaction this token already made, if any; refuses the token when it came with other actions. */
export function rememberedTransaction(store: Store, token: string, fingerprint: string, nowMs: number): RememberedTransaction | undefined {
  const tokens = tokensOf(store);
  dropExpired(tokens, nowMs);
  const remembered = tokens.get(token);
  if (remembered && remembered.fingerprint !== fingerprint) {
    throw new IdempotentParameterMismatchException('The request uses the same client token as a previous, but non-identical request.');
  }
  return remembered;
}

export function rememberTransaction(store: Store, token: string, remembered: RememberedTransaction): void {
  const tokens = tokensOf(store);
  tokens.set(token, remembered);
  if (tokens.size > MAX_REMEMBERED_TOKENS) tokens.delete(tokens.keys().next().value!);
}

/** Forgets a token whose transaction did not commit after all (its whole commit group failed). */
export function forgetTransaction(store: Store, token: string, remembered: RememberedTransaction): void {
  const tokens = tokensOf(store);
  if (tokens.get(token) === remembered) tokens.delete(token);
}
