/** Small shared pieces of the admin routes: reading a body or a query string through its schema, and the 400 that names the field. */
import type { Context, Handler } from 'hono';
import type { z } from 'zod';
import type { Link } from '../nats/link.js';
import { Empty } from './adminSchemas.js';

/**
 * Every refusal of admin input has this shape: `{"error": "<field>: <what is wrong>", "field": "<field>"}`,
 * the field a dotted path into the body or query (`schema.keySchema.0.KeyType`); no `field` when
 * the input as a whole is wrong (a body that is not JSON).
 */
export const badRequest = (c: Context, message: string, field?: string) =>
  c.json(field ? { error: `${field}: ${message}`, field } : { error: message }, 400);

export function linkView(link: Link, source: string) {
  return { source, ...link.settings, stats: link.stats() };
}

function refusal(c: Context, error: z.ZodError): Response {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') return badRequest(c, 'unknown field', [...issue.path, issue.keys[0]].join('.'));
  if (issue.code === 'invalid_key') return badRequest(c, `is not a valid key: ${issue.issues[0]?.message ?? issue.message}`, issue.path.join('.'));
  if (!issue.path.length) return badRequest(c, 'the body must be a JSON object');
  return badRequest(c, issue.message, issue.path.join('.'));
}

/** The body checked against its schema, or the 400 to answer. An empty body reads as {}. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S> | Response> {
  let body: unknown = {};
  try {
    const text = await c.req.text();
    if (text.trim()) body = JSON.parse(text);
  } catch {
    return badRequest(c, 'the body must be a JSON object');
  }
  const result = schema.safeParse(body);
  return result.success ? result.data : refusal(c, result.error);
}

/** Query parameters (or, with `from: 'param'`, path parameters) checked against their schema, or the 400 to answer. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S, from: 'query' | 'param' = 'query'): z.output<S> | Response {
  const result = schema.safeParse(from === 'query' ? c.req.query() : c.req.param());
  return result.success ? result.data : refusal(c, result.error);
}

/** A route that takes no input: a query parameter or a non-empty body is refused, so a typo is not silently ignored. */
export const withoutInput = (handler: Handler): Handler => async (c, next) => {
  const query = parseQuery(c, Empty);
  if (query instanceof Response) return query;
  const body = c.req.method === 'GET' ? {} : await parseBody(c, Empty);
  return body instanceof Response ? body : handler(c, next);
};
