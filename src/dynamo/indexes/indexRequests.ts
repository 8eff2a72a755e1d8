/** Secondary indexes in a CreateTable (or UpdateTable) request: their shape, DynamoDB's checks and the definitions kept. */
import type { AttributeDefinition, KeySchemaElement } from '../../core/types.js';
import { invalid } from '../errors.js';
import type { ThroughputMeta } from '../tables.js';
import { list, long, str, struct, TABLE_NAME_PATTERN, type FieldRule } from '../validation/shape.js';
import type { IndexMeta, Projection } from './indexMeta.js';

export interface IndexRequest {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Partial<Projection>;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

const PREFIX = 'One or more parameter values were invalid: ';
const MAX_LOCAL = 5;
const MAX_GLOBAL = 20;
const MAX_NON_KEY_ATTRIBUTES = 100;
const MAX_CAPACITY_UNITS = 1_000_000_000_000;

export const indexKeySchemaRule = (): FieldRule => list(struct('KeySchemaElement', {
  AttributeName: str({ notNull: true, lengthMin: 1, lengthMax: 255 }),
  KeyType: str({ notNull: true }),
}, { notNull: true }), { notNull: true, lengthMin: 1, lengthMax: 2 });

export const projectionRule = (): FieldRule => struct('Projection', {
  ProjectionType: str({ enum: ['ALL', 'INCLUDE', 'KEYS_ONLY'] }),
  NonKeyAttributes: list(str(), { lengthMin: 1 }),
}, { notNull: true });

export const indexThroughputRule = (): FieldRule => struct('ProvisionedThroughput', {
  WriteCapacityUnits: long({ notNull: true, min: 1 }),
  ReadCapacityUnits: long({ notNull: true, min: 1 }),
});

const indexNameRule = (): FieldRule => str({ notNull: true, regex: TABLE_NAME_PATTERN, lengthMin: 3, lengthMax: 255 });

export const localIndexesRule = (): FieldRule => list(struct('LocalSecondaryIndex', {
  IndexName: indexNameRule(),
  KeySchema: indexKeySchemaRule(),
  Projection: projectionRule(),
}));

export const globalIndexRule = (structName = 'GlobalSecondaryIndex'): FieldRule => struct(structName, {
  IndexName: indexNameRule(),
  KeySchema: indexKeySchemaRule(),
  Projection: projectionRule(),
  ProvisionedThroughput: indexThroughputRule(),
});

export const globalIndexesRule = (): FieldRule => list(globalIndexRule());

/** Key schema of one index: defined attributes, HASH then RANGE, two distinct names. */
export function checkIndexKeySchema(index: IndexRequest, definitions: string[]): void {
  const keys = index.KeySchema.map((k) => k.AttributeName);
  if (keys.some((key) => !definitions.includes(key))) {
    invalid(`${PREFIX}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${definitions.join(', ')}]`);
  }
  if (keys.length === 2 && keys[0] === keys[1]) invalid('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (index.KeySchema[0].KeyType !== 'HASH') invalid('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (index.KeySchema[1] && index.KeySchema[1].KeyType !== 'RANGE') invalid('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
}

export function checkProjection(index: IndexRequest): void {
  const type = index.Projection.ProjectionType;
  if (type == null) invalid(`${PREFIX}Unknown ProjectionType: null`);
  if (index.Projection.NonKeyAttributes && type !== 'INCLUDE') invalid(`${PREFIX}ProjectionType is ${type}, but NonKeyAttributes is specified`);
}

/** Checks that follow each index's own: an INCLUDE list, no repeated attribute in it. */
function checkNonKeyAttributes(index: IndexRequest): void {
  const names = index.Projection.NonKeyAttributes;
  if (index.Projection.ProjectionType === 'INCLUDE' && !names) invalid(`${PREFIX}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
  const seen = new Set<string>();
  for (const name of names ?? []) {
    if (seen.has(name)) invalid(`${PREFIX}Duplicate element in NonKeyAttributes: ${name}`);
    seen.add(name);
  }
}

export function checkIndexThroughput(index: IndexRequest, payPerRequest: boolean): void {
  const throughput = index.ProvisionedThroughput;
  if (payPerRequest) {
    if (throughput) invalid(`${PREFIX}ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
    return;
  }
  if (!throughput) invalid(`${PREFIX}ProvisionedThroughput is not specified for index: ${index.IndexName}`);
  if (throughput.ReadCapacityUnits > MAX_CAPACITY_UNITS) invalid(`Given value ${throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
  if (throughput.WriteCapacityUnits > MAX_CAPACITY_UNITS) invalid(`Given value ${throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
}

export interface TableIndexRequest {
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode?: string;
  LocalSecondaryIndexes?: IndexRequest[];
  GlobalSecondaryIndexes?: IndexRequest[];
}

/** CreateTable's index checks, in DynamoDB's order. */
export function checkCreateIndexes(request: TableIndexRequest): void {
  const definitions = request.AttributeDefinitions.map((d) => d.AttributeName);
  const names = new Set<string>();
  const claim = (name: string): void => {
    if (names.has(name)) invalid(`${PREFIX}Duplicate index name: ${name}`);
    names.add(name);
  };
  const locals = request.LocalSecondaryIndexes;
  if (locals) {
    if (!locals.length) invalid(`${PREFIX}List of LocalSecondaryIndexes is empty`);
    if (request.KeySchema.length !== 2) invalid(`${PREFIX}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
    const tableHash = request.KeySchema[0].AttributeName;
    for (const index of locals) {
      checkIndexKeySchema(index, definitions);
      if (index.KeySchema.length !== 2) invalid(`${PREFIX}Index KeySchema does not have a range key for index: ${index.IndexName}`);
      const hash = index.KeySchema[0].AttributeName;
      if (hash !== tableHash) {
        invalid(`${PREFIX}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${hash}, table hash key: ${tableHash}`);
      }
      checkProjection(index);
      claim(index.IndexName);
    }
    if (locals.length > MAX_LOCAL) invalid(`${PREFIX}Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LOCAL}`);
  }
  const globals = request.GlobalSecondaryIndexes;
  const payPerRequest = request.BillingMode === 'PAY_PER_REQUEST';
  if (globals) {
    if (!globals.length) invalid(`${PREFIX}List of GlobalSecondaryIndexes is empty`);
    for (const index of globals) {
      checkIndexKeySchema(index, definitions);
      checkProjection(index);
      if (payPerRequest && index.ProvisionedThroughput) {
        invalid(`${PREFIX}ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      claim(index.IndexName);
    }
    if (globals.length > MAX_GLOBAL) invalid(`${PREFIX}GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GLOBAL}`);
  }
  const all = [...(locals ?? []), ...(globals ?? [])];
  for (const index of all) checkNonKeyAttributes(index);
  for (const index of globals ?? []) checkIndexThroughput(index, payPerRequest);
  checkProjectedCount(all);
  if (locals || globals) checkDefinitionsUsed(request, all);
}

/** At most 100 NonKeyAttributes summed over the table's indexes (the same name in two indexes counts twice). */
export function checkProjectedCount(indexes: Pick<IndexRequest, 'Projection'>[]): void {
  const count = indexes.reduce((total, index) => total + (index.Projection.NonKeyAttributes?.length ?? 0), 0);
  if (count > MAX_NON_KEY_ATTRIBUTES) invalid(`${PREFIX}Number of projected attributes in all indexes exceeds limit of ${MAX_NON_KEY_ATTRIBUTES}, number of projected attributes: ${count}`);
}

function checkDefinitionsUsed(request: TableIndexRequest, indexes: IndexRequest[]): void {
  const used: string[] = [];
  for (const key of [...request.KeySchema, ...indexes.flatMap((index) => index.KeySchema)]) {
    if (!used.includes(key.AttributeName)) used.push(key.AttributeName);
  }
  const definitions = request.AttributeDefinitions.map((d) => d.AttributeName);
  if (definitions.length > used.length) {
    invalid(`${PREFIX}Some AttributeDefinitions are not used. AttributeDefinitions: [${definitions.join(', ')}], keys used: [${used.join(', ')}]`);
  }
}

function projectionOf(request: IndexRequest): Projection {
  const type = request.Projection.ProjectionType!;
  return type === 'INCLUDE' ? { ProjectionType: type, NonKeyAttributes: request.Projection.NonKeyAttributes! } : { ProjectionType: type };
}

/** The definition a table keeps of a requested index; `nextId` allocates its store id. */
export function indexMetaOf(request: IndexRequest, kind: IndexMeta['kind'], id: number, payPerRequest: boolean): IndexMeta {
  const meta: IndexMeta = { name: request.IndexName, kind, id, keySchema: request.KeySchema, projection: projectionOf(request) };
  if (kind === 'global') {
    const throughput: ThroughputMeta = {
      ReadCapacityUnits: payPerRequest ? 0 : request.ProvisionedThroughput!.ReadCapacityUnits,
      WriteCapacityUnits: payPerRequest ? 0 : request.ProvisionedThroughput!.WriteCapacityUnits,
      NumberOfDecreasesToday: 0,
    };
    meta.throughput = throughput;
  }
  return meta;
}
