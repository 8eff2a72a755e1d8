/**
 * Who may call the admin routes that change something. Reads stay open (see isGuarded); the others
 * answer only to loopback unless the region has an admin token, and then only to requests that
 * carry it, from any address (loopback included: on a shared machine loopback is no credential).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bearerToken } from '../config/adminToken.js';

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x as the socket reports them. Never a header: X-Forwarded-For is whatever the client says. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/**
 * Every admin request but a read (GET, HEAD), and the snapshot: a read, but of a whole table at
 * once, the heaviest answer a region gives, which only peers need.
 */
export function isGuarded(method: string, path: string): boolean {
  return (method !== 'GET' && method !== 'HEAD') || path === '/admin/snapshot';
}

/** The socket's peer address (undefined when not served by node's HTTP server). */
export function remoteAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
/** The configured token's digest, worked out once (a region has one token; a test may make several). */
const expectedDigests = new Map<string, Buffer>();

/** Compares digests, so the time taken says nothing about the token, not even its length. */
function sameToken(given: string, expected: string): boolean {
  let expectedDigest = expectedDigests.get(expected);
  if (!expectedDigest) {
    expectedDigest = digest(expected);
    if (expectedDigests.size < 64) expectedDigests.set(expected, expectedDigest);
  }
  return timingSafeEqual(digest(given), expectedDigest);
}

/** Why a caller may not do what only admin callers may: the status, its JSON error, and whether to ask for the token. */
export interface AdminRefusal {
  status: 401 | 403;
  error: string;
  /** A 401: the answer carries WWW-Authenticate. */
  askForToken: boolean;
}

export const ADMIN_TOKEN_CHALLENGE = 'Bearer realm="globaltables admin"';

/**
 * The one rule for every admin-only action (guarded routes, a forced write timestamp): with no
 * token configured, loopback sockets only (403 otherwise); with one, the request must carry it
 * (401 otherwise). `what` names the action in the error.
 */
export function adminRefusal(adminToken: string | undefined, caller: { remoteAddress?: string; authorization?: string }, what: string): AdminRefusal | undefined {
  if (adminToken === undefined) {
    if (isLoopbackAddress(caller.remoteAddress)) return undefined;
    return {
      status: 403,
      askForToken: false,
      error: `${what} is allowed only from loopback: start the region with an admin token (--admin-token, GLOBALTABLES_ADMIN_TOKEN or adminToken in its region file) to use it from elsewhere`,
    };
  }
  const given = bearerToken(caller.authorization);
  if (given !== undefined && sameToken(given, adminToken)) return undefined;
  return { status: 401, askForToken: true, error: given === undefined ? `${what} needs the admin token: Authorization: Bearer <token>` : 'wrong admin token' };
}

/** Refuses guarded admin requests that lack the token (401) or, with no token configured, come from elsewhere than loopback (403). */
export function adminGuard(adminToken: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!isGuarded(c.req.method, c.req.path)) return next();
    const refusal = adminRefusal(adminToken, { remoteAddress: remoteAddress(c), authorization: c.req.header('authorization') }, 'this admin route');
    if (!refusal) return next();
    if (refusal.askForToken) c.header('www-authenticate', ADMIN_TOKEN_CHALLENGE);
    return c.json({ error: refusal.error }, refusal.status);
  };
}
