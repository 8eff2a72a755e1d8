/** `globaltables schema`: the JSON Schema of scenario files, for editors (scenarios/scenario.schema.json is a copy). */
import { z } from 'zod';
import { fullSchema, stepSchemas, type StepKind } from '../scenario/schema.js';
import { UsageError } from './region.js';

/** Shown by editors next to each step kind; a Record so that a new kind cannot be added without one. */
const STEP_DESCRIPTIONS: Record<StepKind, string> = {
  createTable: 'Create a global table with replicas in all declared regions or the listed ones.',
  addReplica: 'Add a replica in another region to an existing table (backfilled, then replicating).',
  removeReplica: "Remove a table's replica in one region (its items there are dropped); waits until it is gone.",
  enableTtl: 'Turn on time to live for a table by one attribute (epoch seconds), in every replica or one region.',
  put: 'PutItem in one region.',
  update: 'UpdateItem in one region: set/remove/add, or a full UpdateExpression.',
  delete: 'DeleteItem in one region.',
  transact: 'TransactWriteItems in one region (put, update, delete, check actions); optionally watch another region read its items until they are all there.',
  get: 'GetItem in one region, and check the item (equals, has or absent).',
  query: 'Query in one region, and check how many items come back.',
  workload: 'Writes at a steady rate from the listed regions for a while.',
  latency: 'Delay replication on the link from one region to another.',
  networkFaults: 'Lose, duplicate or reorder messages on a link (simulator only: run --sim).',
  partition: 'Cut replication between groups of regions, or on one link.',
  heal: 'Undo partitions, latency and message faults: all of them, or the one link named.',
  crashRegion: 'Stop a region abruptly.',
  restartRegion: 'Start a crashed region again on its data.',
  crashNats: "Stop a region's NATS server.",
  restartNats: "Start a region's NATS server again.",
  clockSkew: "Set a region's clock skew.",
  clockJump: "Move a region's clock by a delta, once.",
  sleep: 'Wait a fixed time.',
  waitConverged: 'Wait until every region holds the same data, or fail after the timeout.',
  expect: 'Check an item, convergence, conflicts, overwritten writes or replication lag.',
};

type JsonObject = Record<string, unknown>;

/** Steps are maps with exactly their kind as key; `- heal:` (null) is accepted wherever the loader takes it as {}. */
function describeStep(variant: JsonObject): JsonObject {
  const properties = variant.properties as Record<string, JsonObject>;
  const kind = Object.keys(properties)[0] as StepKind;
  const bareAllowed = stepSchemas[kind].safeParse({}).success;
  const args = bareAllowed ? { anyOf: [properties[kind], { type: 'null' }] } : properties[kind];
  return { ...variant, properties: { [kind]: { description: STEP_DESCRIPTIONS[kind], ...args } }, required: [kind] };
}

/** The schema as an object. Input types, so that fields with defaults are optional as they are in the files. */
export function scenarioJsonSchema(): JsonObject {
  const generated = z.toJSONSchema(fullSchema(), { io: 'input' }) as JsonObject;
  const properties = generated.properties as Record<string, JsonObject>;
  const items = properties.steps.items as { anyOf: JsonObject[] };
  const steps = { ...properties.steps, items: { anyOf: items.anyOf.map(describeStep) } };
  const { $schema, ...rest } = generated;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    title: 'globaltables scenario',
    description: 'A replication story: regions, then steps played in order by `globaltables run`.',
    ...rest,
    properties: { ...properties, steps },
  };
}

/** Exactly what the command prints, so a checked-in copy can be compared byte for byte. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

export function runSchemaCommand(argv: string[]): void {
  if (argv.length) throw new UsageError(`schema takes no arguments (got ${argv.join(' ')})`);
  process.stdout.write(scenarioJsonSchemaText());
}
