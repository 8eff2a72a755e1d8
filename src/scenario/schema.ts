/**
 * The scenario file format: regions, then steps, each step a map with one key (its kind). Step
 * arguments are validated one step at a time (see load.ts), so an error names the step it is in.
 */
import { z } from 'zod';
import { MAX_CLOCK_SKEW_MS } from '../core/version.js';
import { MAX_LINK_DELAY_MS } from '../nats/link.js';
import { TombstoneRetentionSchema } from '../config/regionConfig.js';

const regionName = z.string().regex(/^[a-z0-9-]+$/, 'a region name such as us-east-1');
const tableName = z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'a table name of 3–255 characters [a-zA-Z0-9_.-]');
/** Items and keys as plain values (strings, numbers, booleans, null, lists, maps), as the DocumentClient takes them. */
const plainItem = z.record(z.string(), z.unknown());
const positiveMs = z.number().int().min(0);
/** As the region's admin API bounds them: a day either way for clocks, a minute for link delays. */
const skewMs = z.number().int().min(-MAX_CLOCK_SKEW_MS).max(MAX_CLOCK_SKEW_MS);
const linkDelayMs = positiveMs.max(MAX_LINK_DELAY_MS);
/** Below 1: a link that loses every message is a partition (a stall), which `partition` says better. */
const probability = z.number().min(0).lt(1);

/** What a write says of itself, alone or as an action of a transaction. */
const writeBody = {
  table: tableName,
  /** A ConditionExpression, with placeholders in `names` and `values`. */
  condition: z.string().optional(),
  names: z.record(z.string(), z.string()).optional(),
  values: plainItem.optional(),
};

const updateBody = {
  key: plainItem,
  /** Attributes to set (SET a = :v for each). */
  set: plainItem.optional(),
  /** Attributes to remove. */
  remove: z.array(z.string()).optional(),
  /** Numbers to add (ADD a :n). */
  add: z.record(z.string(), z.number()).optional(),
  /** A full UpdateExpression instead of set/remove/add. */
  expression: z.string().optional(),
};

/** One action of a transaction: exactly one of put, update, delete or check (a ConditionCheck). */
const transactAction = z.union([
  z.object({ put: z.object({ ...writeBody, item: plainItem }).strict() }).strict(),
  z.object({ update: z.object({ ...writeBody, ...updateBody }).strict() }).strict(),
  z.object({ delete: z.object({ ...writeBody, key: plainItem }).strict() }).strict(),
  z.object({ check: z.object({ ...writeBody, key: plainItem, condition: z.string() }).strict() }).strict(),
]);

const writeOptions = {
  region: regionName,
  ...writeBody,
  /** Stamp this write's version with exactly this timestamp (ms), to stage a conflict. */
  timestampMs: z.number().int().min(0).optional(),
  /** The write must fail with this error (for instance ConditionalCheckFailedException). */
  expectError: z.string().optional(),
};

const readExpectation = {
  /** The item must equal this (every attribute, nothing else). */
  equals: plainItem.optional(),
  /** The item must have these attributes with these values (others may exist). */
  has: plainItem.optional(),
  /** The item must not exist. */
  absent: z.literal(true).optional(),
};

export const stepSchemas = {
  createTable: z.object({
    table: tableName,
    /** Key attributes in order: the first is the partition key, the second (optional) the sort key. */
    key: z.record(z.string(), z.enum(['S', 'N', 'B'])),
    /** Regions that hold a replica: all declared regions, or a list. The first creates the table. */
    replicas: z.union([z.literal('all'), z.array(regionName).min(1)]).default('all'),
  }).strict(),
  /** Adds a replica in another region to an existing table: backfilled from `from`, then replicating. */
  addReplica: z.object({ table: tableName, region: regionName, from: regionName.optional() }).strict(),
  /** Removes a table's replica in a region (its items are dropped there); asked of `from`, another replica. */
  removeReplica: z.object({ table: tableName, region: regionName, from: regionName.optional() }).strict(),
  /**
   * Turns on time to live: items whose `attribute` (epoch seconds) is in the past are deleted by the
   * region's sweeper. In every replica of the table, or only in `region`.
   */
  enableTtl: z.object({ table: tableName, attribute: z.string().min(1).max(255), region: regionName.optional() }).strict(),
  put: z.object({ ...writeOptions, item: plainItem }).strict(),
  update: z.object({ ...writeOptions, ...updateBody }).strict(),
  delete: z.object({ ...writeOptions, key: plainItem }).strict(),
  /**
   * TransactWriteItems in one region: all its actions or none. `watch`: once it is acknowledged,
   * read its items in another region with TransactGetItems (one snapshot each time) every `everyMs`
   * until they are all there, and report whether a snapshot showed some without the others.
   */
  transact: z.object({
    region: regionName,
    actions: z.array(transactAction).min(1).max(100),
    timestampMs: z.number().int().min(0).optional(),
    /** The transaction must fail with this error (for instance TransactionCanceledException). */
    expectError: z.string().optional(),
    watch: z.object({
      region: regionName,
      everyMs: z.number().int().min(1).default(5),
      timeoutMs: positiveMs.default(30_000),
    }).strict().optional(),
  }).strict(),
  get: z.object({ region: regionName, table: tableName, key: plainItem, ...readExpectation }).strict(),
  query: z.object({
    region: regionName,
    table: tableName,
    keyCondition: z.string(),
    names: z.record(z.string(), z.string()).optional(),
    values: plainItem,
    /** The query must return exactly this many items. */
    expectCount: z.number().int().min(0).optional(),
  }).strict(),
  workload: z.object({
    table: tableName,
    durationMs: positiveMs,
    ratePerSecond: z.number().positive().max(5000),
    /** Regions whose clients write (round robin): all declared regions by default. */
    regions: z.union([z.literal('all'), z.array(regionName).min(1)]).default('all'),
    keys: z.number().int().min(1).default(100),
    distribution: z.enum(['uniform', 'hot']).default('uniform'),
    /** With distribution hot: the share of operations that go to the one hot key. */
    hotKeyShare: z.number().min(0).max(1).default(0.5),
    mix: z.object({ put: z.number().min(0), update: z.number().min(0), delete: z.number().min(0) }).partial().default({ put: 1 }),
  }).strict(),
  latency: z.object({
    from: regionName,
    to: regionName,
    ms: linkDelayMs,
    jitterMs: linkDelayMs.default(0),
    /** Also the link from `to` to `from`. */
    bothWays: z.boolean().default(false),
  }).strict(),
  /**
   * Message-level faults on the link that carries `from`'s changes to `to`: each message lost,
   * delivered twice, or delivered out of order with these probabilities. Simulator only (`run --sim`):
   * a TCP connection cannot lose, duplicate or reorder what it carries. `heal` clears them.
   */
  networkFaults: z.object({
    from: regionName,
    to: regionName,
    lossRate: probability.default(0),
    duplicateRate: probability.default(0),
    reorderRate: probability.default(0),
    /** Also the link from `to` to `from`. */
    bothWays: z.boolean().default(false),
  }).strict(),
  partition: z.union([
    z.object({ groups: z.array(z.array(regionName).min(1)).min(2) }).strict(),
    z.object({ from: regionName, to: regionName }).strict(),
  ]),
  heal: z.object({ from: regionName.optional(), to: regionName.optional() }).strict().default({}),
  crashRegion: z.object({ region: regionName }).strict(),
  restartRegion: z.object({ region: regionName }).strict(),
  crashNats: z.object({ region: regionName }).strict(),
  restartNats: z.object({ region: regionName }).strict(),
  clockSkew: z.object({ region: regionName, skewMs }).strict(),
  clockJump: z.object({ region: regionName, deltaMs: skewMs }).strict(),
  sleep: z.object({ ms: positiveMs }).strict(),
  waitConverged: z.object({ timeoutMs: positiveMs.default(30_000), tables: z.array(tableName).optional() }).strict().default({ timeoutMs: 30_000 }),
  expect: z.object({
    item: z.object({ table: tableName, key: plainItem, region: regionName.optional(), ...readExpectation }).strict().optional(),
    /** Every region's digest of the scenario's tables is equal right now. */
    converged: z.literal(true).optional(),
    conflicts: z.object({
      table: tableName.optional(),
      reason: z.enum(['newer-timestamp', 'tie-break-region', 'skew-inverted']).optional(),
      count: z.number().int().min(0).optional(),
      min: z.number().int().min(0).optional(),
      max: z.number().int().min(0).optional(),
    }).strict().optional(),
    /**
     * Tombstone retention across the running regions: how many were purged, how many replicated
     * writes may have undone a purged delete (possible resurrections), and a region every other
     * running region holds its tombstones back for.
     */
    tombstones: z.object({
      purged: z.object({ count: z.number().int().min(0).optional(), min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).strict().optional(),
      resurrections: z.number().int().min(0).optional(),
      heldFor: regionName.optional(),
    }).strict().optional(),
    /** Acknowledged writes overwritten so far, by class (exact counts; omitted classes are not checked). */
    overwritten: z.object({
      superseded: z.number().int().min(0).optional(),
      concurrent: z.number().int().min(0).optional(),
      skewInverted: z.number().int().min(0).optional(),
      tieBreak: z.number().int().min(0).optional(),
      total: z.number().int().min(0).optional(),
    }).strict().optional(),
    /** Every pair's ReplicationLatency p99 so far is below this. */
    lagMsP99Below: z.number().positive().optional(),
  }).strict(),
} as const;

export type StepKind = keyof typeof stepSchemas;
export type StepArgs<K extends StepKind> = z.output<(typeof stepSchemas)[K]>;
export type Step = { [K in StepKind]: { kind: K; args: StepArgs<K>; index: number; line?: number } }[StepKind];

export const RegionSchema = z.object({
  name: regionName,
  clock: z.object({ mode: z.enum(['hlc', 'wall']).default('hlc'), skewMs: skewMs.default(0) }).strict().default({ mode: 'hlc', skewMs: 0 }),
}).strict();

/** Everything but the steps, which are checked one by one. */
export const ScenarioHeaderSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().min(0).default(1),
  granularity: z.enum(['item', 'attribute']).default('item'),
  /** Every region's least tombstone age before a purge (ms); the regions' default (24 h) when absent. */
  tombstoneRetentionMs: TombstoneRetentionSchema.optional(),
  /** sigv4: the regions (real ones; the simulator has no HTTP) check signatures, with keys made for the run. */
  auth: z.enum(['none', 'sigv4']).optional(),
  regions: z.array(RegionSchema).min(1).max(6),
  steps: z.array(z.unknown()).min(1),
}).strict();

export type ScenarioHeader = z.output<typeof ScenarioHeaderSchema>;
export interface Scenario extends Omit<ScenarioHeader, 'steps'> {
  file: string;
  steps: Step[];
}

/** The whole format as one schema, for the JSON Schema that editors use. */
export function fullSchema() {
  const steps = (Object.keys(stepSchemas) as StepKind[]).map((kind) => z.object({ [kind]: stepSchemas[kind] }).strict());
  return ScenarioHeaderSchema.extend({ steps: z.array(z.union(steps as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])).min(1) });
}
