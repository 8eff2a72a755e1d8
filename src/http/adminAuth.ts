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
function remoteAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/** Compares digests, so the time taken says nothing about the token, not even its length. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Refuses guarded admin requests that lack the token (401) or, with no token configured, come from elsewhere than loopback (403). */
export function adminGuard(adminToken: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!isGuarded(c.req.method, c.req.path)) return next();
    if (adminToken === undefined) {
      if (isLoopbackAddress(remoteAddress(c))) return next();
      return c.json({
        error: 'this admin route answers only on loopback: start the region with an admin token (--admin-token, GLOBALTABLES_ADMIN_TOKEN or adminToken in its region file) to call it from elsewhere',
      }, 403);
    }
    const given = bearerToken(c.req.header('authorization'));
    if (given !== undefined && sameToken(given, adminToken)) return next();
    c.header('www-authenticate', 'Bearer realm="globaltables admin"');
    return c.json({ error: given === undefined ? 'this admin route needs the admin token: Authorization: Bearer <token>' : 'wrong admin token' }, 401);
  };
}
