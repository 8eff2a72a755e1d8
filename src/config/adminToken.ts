/**
 * The admin token: when a region has one, its mutating admin routes answer only to requests that
 * carry it (`Authorization: Bearer <token>`), from any address; without one, only to loopback.
 * Every caller of admin routes (peers, `up`, scenarios) sends the token it was given.
 */
import { z } from 'zod';

/** Where a region, `up` and the scenario runner read the token when no flag names it: keeps it off command lines. */
export const ADMIN_TOKEN_ENV = 'GLOBALTABLES_ADMIN_TOKEN';

/** Visible ASCII only: the token travels in an HTTP header, where anything else cannot be sent as is. */
export const AdminTokenSchema = z.string().regex(/^[\x21-\x7e]{1,512}$/, '1 to 512 visible ASCII characters (no spaces)');

/** The headers that carry a token on an admin call (none without a token). */
export function adminHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** The token a request carries, if it carries one in the expected form. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(authorization?.trim() ?? '');
  return match?.[1];
}
