/** The region's hono app: the routes beside DynamoDB's protocol on `/` (the admin API mounts onto it). */
import { Hono } from 'hono';

export function createApp(): Hono {
  return new Hono();
}
