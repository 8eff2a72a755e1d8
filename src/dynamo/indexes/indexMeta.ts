/** Secondary index definitions as a table keeps them, their key shape, projection and wire description. */
import type { AttributeDefinition, Item, KeySchemaElement, KeyShape, KeyType } from '../../core/types.js';
import { own, setOwn } from '../../core/plainData.js';
import type { TableStats, ThroughputMeta } from '../tables.js';

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

export interface Projection {
  ProjectionType: ProjectionType;
  NonKeyAttributes?: string[];
}

export interface IndexMeta {
  name: string;
  kind: 'local' | 'global';
  /** Store id of the index entries (from the table id counter, so it never collides with a table's). */
  id: number;
  keySchema: KeySchemaElement[];
  projection: Projection;
  /** Global indexes: their own provisioned throughput (zeros for a PAY_PER_REQUEST table). */
  throughput?: ThroughputMeta;
  /** Global indexes added by UpdateTable are CREATING while they backfill; a deleted one is DELETING until its entries are gone. */
  status?: 'CREATING' | 'DELETING';
  /** Until this time the index reports UPDATING (after a throughput update). */
  busyUntilMs?: number;
}

export type IndexStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';

interface IndexHolder {
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  indexes?: IndexMeta[];
}

export const indexesOf = (table: Pick<IndexHolder, 'indexes'>): IndexMeta[] => table.indexes ?? [];

export const findIndex = (table: Pick<IndexHolder, 'indexes'>, name: string): IndexMeta | undefined =>
  indexesOf(table).find((index) => index.name === name);

/** Indexes whose entries follow every write: all but those being deleted (a backfilling one included). */
export const maintainedIndexes = (table: Pick<IndexHolder, 'indexes'>): IndexMeta[] =>
  indexesOf(table).filter((index) => index.status !== 'DELETING');

const shapes = new WeakMap<IndexMeta, KeyShape>();

export function indexShapeOf(table: Pick<IndexHolder, 'attributeDefinitions'>, index: IndexMeta): KeyShape {
  let shape = shapes.get(index);
  if (!shape) {
    const typeOf = (name: string): KeyType => table.attributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType;
    const hash = index.keySchema[0].AttributeName;
    const range = index.keySchema[1]?.AttributeName;
    shape = { hash: { name: hash, type: typeOf(hash) }, ...(range ? { range: { name: range, type: typeOf(range) } } : {}) };
    shapes.set(index, shape);
  }
  return shape;
}

const shapeNames = (shape: KeyShape): string[] => (shape.range ? [shape.hash.name, shape.range.name] : [shape.hash.name]);

/** The attributes an entry always carries: the index key and the table key. */
export function keyAttributeNames(tableShape: KeyShape, indexShape: KeyShape): string[] {
  return [...new Set([...shapeNames(indexShape), ...shapeNames(tableShape)])];
}

/** The attributes an index projects; undefined: all of them. */
export function projectedNames(tableShape: KeyShape, indexShape: KeyShape, index: IndexMeta): Set<string> | undefined {
  if (index.projection.ProjectionType === 'ALL') return undefined;
  return new Set([...keyAttributeNames(tableShape, indexShape), ...(index.projection.NonKeyAttributes ?? [])]);
}

/** What an index stores of an item. */
export function projectItem(item: Item, names: Set<string> | undefined): Item {
  if (!names) return item;
  const out: Item = {};
  for (const name of names) {
    const value = own(item, name);
    if (value) setOwn(out, name, value);
  }
  return out;
}

/** Whether an item belongs in the index: it has every index key attribute, of the defined type. */
export function isIndexed(item: Item, indexShape: KeyShape): boolean {
  const fits = (name: string, type: KeyType): boolean => {
    const value = own(item, name);
    return value !== undefined && Object.hasOwn(value, type);
  };
  return fits(indexShape.hash.name, indexShape.hash.type) && (!indexShape.range || fits(indexShape.range.name, indexShape.range.type));
}

export function indexStatus(index: IndexMeta, tableCreating: boolean, nowMs: number): IndexStatus {
  if (index.status) return index.status;
  if (tableCreating) return 'CREATING';
  return index.busyUntilMs !== undefined && nowMs < index.busyUntilMs ? 'UPDATING' : 'ACTIVE';
}

const seconds = (ms: number): number => ms / 1000;

function describeThroughput(throughput: ThroughputMeta): Record<string, unknown> {
  return {
    NumberOfDecreasesToday: throughput.NumberOfDecreasesToday,
    ReadCapacityUnits: throughput.ReadCapacityUnits,
    WriteCapacityUnits: throughput.WriteCapacityUnits,
    ...(throughput.LastIncreaseDateTime ? { LastIncreaseDateTime: seconds(throughput.LastIncreaseDateTime) } : {}),
    ...(throughput.LastDecreaseDateTime ? { LastDecreaseDateTime: seconds(throughput.LastDecreaseDateTime) } : {}),
  };
}

/** LocalSecondaryIndexes and GlobalSecondaryIndexes of a TableDescription, as DynamoDB reports them. */
export function describeIndexes(
  indexes: IndexMeta[], tableArn: string, tableCreating: boolean, nowMs: number, statsOf: (id: number) => TableStats,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const describeOne = (index: IndexMeta): Record<string, unknown> => {
    const stats = statsOf(index.id);
    const described: Record<string, unknown> = {
      IndexName: index.name,
      KeySchema: index.keySchema,
      Projection: index.projection,
    };
    if (index.kind === 'global') {
      const status = indexStatus(index, tableCreating, nowMs);
      described.IndexStatus = status;
      if (status === 'CREATING' && !tableCreating) described.Backfilling = true;
      described.ProvisionedThroughput = describeThroughput(index.throughput ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 });
    }
    described.IndexSizeBytes = stats.sizeBytes;
    described.ItemCount = stats.itemCount;
    described.IndexArn = `${tableArn}/index/${index.name}`;
    return described;
  };
  const locals = indexes.filter((index) => index.kind === 'local');
  const globals = indexes.filter((index) => index.kind === 'global');
  if (locals.length) out.LocalSecondaryIndexes = locals.map(describeOne);
  if (globals.length) out.GlobalSecondaryIndexes = globals.map(describeOne);
  return out;
}
