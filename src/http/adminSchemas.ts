/**
 * What every admin route accepts, as zod schemas: bodies and query strings alike, unknown fields
 * refused, every number bounded. A refusal names the field (see adminHelpers.ts).
 */
import { z } from 'zod';
import { MAX_CLOCK_SKEW_MS } from '../core/version.js';
import { MAX_LINK_DELAY_MS } from '../nats/link.js';

/** The most conflicts one GET /admin/conflicts returns (scenarios read whole runs at once). */
export const MAX_CONFLICTS_PAGE = 100_000;
/** Regions in one membership: far more than DynamoDB has. */
const MAX_MEMBERS = 64;

/** A number within bounds, with one message for every way it can be wrong. */
function bounded(min: number, max: number, what: string, integral = true) {
  const error = `must be ${what}, ${integral ? 'an integer' : 'a number'} from ${min} to ${max}`;
  const number = z.number({ error });
  return (integral ? number.int({ error }) : number).min(min, { error }).max(max, { error });
}

/** A query-string integer (query values are strings). */
function queryInteger(min: number, max: number, what: string) {
  return z.string().regex(/^\d{1,16}$/, { error: `must be ${what}, an integer from ${min} to ${max}` }).transform(Number).pipe(bounded(min, max, what));
}

const object = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: 'must be a JSON object' });

export const regionName = z.string({ error: 'must be a region name' }).regex(/^[a-z0-9-]{1,64}$/, { error: 'must be a region name such as eu-west-1' });
export const tableName = z.string({ error: 'must be a table name' })
  .regex(/^[a-zA-Z0-9_.-]{3,255}$/, { error: 'must be a table name: 3 to 255 characters of a-z, A-Z, 0-9, _, - and .' });

/** Routes that take nothing: no body (or {}) and no query parameters. */
export const Empty = object({});

export const ClockUpdate = object({
  skewMs: bounded(-MAX_CLOCK_SKEW_MS, MAX_CLOCK_SKEW_MS, 'ms from true time (a day at most, either way)').optional(),
  mode: z.enum(['hlc', 'wall'], { error: 'must be hlc or wall' }).optional(),
});

export const LinkUpdate = object({
  latencyMs: bounded(0, MAX_LINK_DELAY_MS, 'ms of one-way delay', false).optional(),
  jitterMs: bounded(0, MAX_LINK_DELAY_MS, 'ms of random extra delay', false).optional(),
  stalled: z.boolean({ error: 'must be true or false' }).optional(),
});

export const NatsKill = object({ hold: z.boolean({ error: 'must be true or false' }).optional() });

export const ConflictsQuery = object({
  after: queryInteger(0, Number.MAX_SAFE_INTEGER, 'a conflict sequence number').optional(),
  limit: queryInteger(0, MAX_CONFLICTS_PAGE, 'a number of conflicts').optional(),
  table: tableName.optional(),
});

export const DigestQuery = object({
  table: z.string().transform((list) => list.split(',')).pipe(z.array(tableName).max(1000)).optional(),
});

export const TableQuery = object({ table: tableName });
export const TableParam = object({ name: tableName });

/** ?table=T&key=<the key as DynamoDB JSON, e.g. {"pk":{"S":"a"}}> */
export const ItemQuery = object({
  table: tableName,
  key: z.string({ error: 'must be the key as DynamoDB JSON, e.g. {"pk":{"S":"a"}}' }).transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be the key as DynamoDB JSON, e.g. {"pk":{"S":"a"}}' });
      return z.NEVER;
    }
  }).pipe(z.record(z.string(), z.record(z.string(), z.unknown()), { error: 'must be the key as DynamoDB JSON, e.g. {"pk":{"S":"a"}}' })),
});

/** ?table=T&key=<the key as DynamoDB JSON>: one key's history (GET /admin/history). */
export const HistoryQuery = ItemQuery;

const attributeName = z.string().min(1).max(255);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const keySchemaBody = z.array(object({ AttributeName: attributeName, KeyType: z.enum(['HASH', 'RANGE']) })).min(1).max(2);
const definitionsBody = z.array(object({ AttributeName: attributeName, AttributeType: z.enum(['S', 'N', 'B']) })).min(1).max(64);
const throughputBody = object({
  ReadCapacityUnits: count,
  WriteCapacityUnits: count,
  LastIncreaseDateTime: count.optional(),
  LastDecreaseDateTime: count.optional(),
  NumberOfDecreasesToday: count,
});

/** A secondary index as regions hand it to each other (IndexDefinition in indexSync.ts). */
const IndexDefinitionBody = object({
  name: tableName,
  kind: z.enum(['local', 'global']),
  keySchema: keySchemaBody,
  projection: object({ ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']), NonKeyAttributes: z.array(attributeName).min(1).max(100).optional() }),
  throughput: throughputBody.optional(),
});

/** What a coordinator sends a new replica (ReplicaSchema in replicas.ts): a key schema a table can have. */
const ReplicaSchemaBody = object({
  name: tableName,
  keySchema: keySchemaBody,
  attributeDefinitions: definitionsBody,
  billingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']),
  throughput: throughputBody,
  ttl: object({ attributeName, enabled: z.boolean() }).optional(),
  streamViewType: z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']).optional(),
  indexes: z.array(IndexDefinitionBody).max(25).optional(),
}).superRefine((schema, ctx) => {
  const [first, second] = schema.keySchema;
  if (first.KeyType !== 'HASH' || second?.KeyType === 'HASH') {
    ctx.addIssue({ code: 'custom', path: ['keySchema'], message: 'must be a HASH key, then optionally a RANGE key' });
  }
  for (const [i, key] of schema.keySchema.entries()) {
    if (!schema.attributeDefinitions.some((d) => d.AttributeName === key.AttributeName)) {
      ctx.addIssue({ code: 'custom', path: ['keySchema', i, 'AttributeName'], message: 'must be defined in attributeDefinitions' });
    }
  }
  for (const [i, index] of (schema.indexes ?? []).entries()) {
    if (!index.keySchema.every((key) => schema.attributeDefinitions.some((d) => d.AttributeName === key.AttributeName))) {
      ctx.addIssue({ code: 'custom', path: ['indexes', i, 'keySchema'], message: 'must be defined in attributeDefinitions' });
    }
  }
});

const Members = z.record(regionName, z.enum(['CREATING', 'ACTIVE', 'DELETING']))
  .refine((members) => Object.keys(members).length >= 1 && Object.keys(members).length <= MAX_MEMBERS, { error: `must name 1 to ${MAX_MEMBERS} regions` });

/** The peer-facing bodies: what peerWire.ts's CreateReplicaRequest, MembershipRequest and DeleteReplicaRequest carry (the admin routes hand them on typed as those). */
export const ReplicaCreate = object({ schema: ReplicaSchemaBody, members: Members, coordinator: regionName });
export const ReplicaMembership = object({ table: tableName, members: Members, globalTableVersion: z.literal('2017.11.29').optional() });
export const ReplicaDelete = object({ table: tableName });
/** What ReplicaSettingsRequest carries: capacity units as DynamoDB bounds them (1 to 10^12). */
const capacityUnits = bounded(1, 1_000_000_000_000, 'capacity units');
export const ReplicaSettings = object({
  table: tableName,
  change: object({
    billingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']).optional(),
    readCapacityUnits: capacityUnits.optional(),
    writeCapacityUnits: capacityUnits.optional(),
  }),
});

/** One region's index change of a global table (IndexChangeRequest in indexSync.ts): a create or a delete. */
export const ReplicaIndexChange = object({
  table: tableName,
  attributeDefinitions: definitionsBody.optional(),
  create: IndexDefinitionBody.optional(),
  delete: tableName.optional(),
}).refine((change) => (change.create === undefined) !== (change.delete === undefined), { error: 'must hold one of create or delete' });
