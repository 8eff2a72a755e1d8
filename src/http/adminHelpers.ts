/** Small shared pieces of the admin routes. */
import type { Context } from 'hono';
import type { LinkProxy } from '../nats/linkProxy.js';

export const badRequest = (c: Context, message: string) => c.json({ error: message }, 400);

export function linkView(link: LinkProxy, source: string) {
  return { source, ...link.settings, stats: link.stats() };
}

export async function jsonBody(c: Context): Promise<Record<string, unknown> | undefined> {
  try {
    const body = await c.req.json();
    return body && typeof body === 'object' && !Array.isArray(body) ? body as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

