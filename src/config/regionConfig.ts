/** Region configuration files (regions/*.yaml): validated with zod, errors that name file, line and field. */
import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { MAX_CLOCK_SKEW_MS } from '../core/version.js';
import { AdminTokenSchema } from './adminToken.js';
import { AuthSchema } from './credentials.js';

export const PeerSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/, 'a region name such as eu-west-1'),
  endpoint: z.string().regex(/^https?:\/\//, 'an http:// URL'),
  /** The peer's nats-server as this region should reach it; asked from the peer when omitted. */
  natsUrl: z.string().regex(/^nats:\/\//, 'a nats:// URL').optional(),
}).strict();

export type PeerConfig = z.infer<typeof PeerSchema>;

/** A tombstone's least age before a purge (ms): any whole number, a week at most; 24 h by default. */
export const TombstoneRetentionSchema = z.number().int().min(0).max(7 * 24 * 60 * 60 * 1000);

export const RegionConfigSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/, 'a region name such as us-east-1'),
  port: z.number().int().min(0).max(65535),
  host: z.string().default('127.0.0.1'),
  dataDir: z.string().min(1),
  nats: z.union([
    z.object({ url: z.string().regex(/^nats:\/\//, 'a nats:// URL') }).strict(),
    z.object({ port: z.number().int().min(0).max(65535).optional() }).strict(),
  ]).default({}),
  clock: z.object({
    mode: z.enum(['hlc', 'wall']).default('hlc'),
    skewMs: z.number().int().min(-MAX_CLOCK_SKEW_MS).max(MAX_CLOCK_SKEW_MS).default(0),
  }).strict().default({ mode: 'hlc', skewMs: 0 }),
  /** The other regions this one may replicate with, found only through these URLs. */
  peers: z.array(PeerSchema).default([]),
  /** Whether DynamoDB requests' signatures are verified (credentials.ts); none by default, as DynamoDB Local. */
  auth: AuthSchema.optional(),
  replication: z.object({
    granularity: z.enum(['item', 'attribute']).default('item'),
    /** The least age of a purged tombstone; it also waits until every replica holds its delete. */
    tombstoneRetentionMs: TombstoneRetentionSchema.optional(),
  }).strict().default({ granularity: 'item' }),
  /** Guarded admin routes then require it (see adminToken.ts); the flag and GLOBALTABLES_ADMIN_TOKEN override it. */
  adminToken: AdminTokenSchema.optional(),
  /** The region key's file (encryptionKey.ts): the data dir and the embedded nats-server's store are then encrypted. */
  encryptionKeyFile: z.string().min(1).optional(),
}).strict();

export type RegionConfig = z.infer<typeof RegionConfigSchema>;

/** Where other processes reach a region: a wildcard listen address is reachable on loopback. */
export function endpointFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The line of the YAML node at a path, so an error can point into the file. */
function lineOf(root: YamlNode | null | undefined, path: PropertyKey[], counter: LineCounter): number | undefined {
  let node: unknown = root;
  for (const step of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => (item.key as { value?: unknown })?.value === step);
    if (!pair) break;
    node = pair.value ?? pair.key;
  }
  const offset = (node as { range?: [number] } | undefined)?.range?.[0];
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

export function parseRegionConfig(text: string, file: string): RegionConfig {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  if (document.errors.length) {
    const error = document.errors[0];
    throw new ConfigError(`${file}:${error.linePos?.[0].line ?? '?'}: ${error.message}`);
  }
  const result = RegionConfigSchema.safeParse(document.toJS());
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    const line = lineOf(document.contents, issue.path, counter);
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    return `${file}${line ? `:${line}` : ''}: ${where}: ${issue.message}`;
  });
  throw new ConfigError(messages.join('\n'));
}

export function loadRegionConfig(file: string): RegionConfig {
  return parseRegionConfig(readFileSync(file, 'utf8'), file);
}
