/** UpdateTable's GlobalSecondaryIndexUpdates: Create (backfilled), Update (throughput) and Delete, with DynamoDB's checks. */
import type { AttributeDefinition } from '../../core/types.js';
import type { StoreTxn } from '../../storage/store.js';
import { invalid, LimitExceededException, ResourceNotFoundException } from '../errors.js';
import type { RegionContext } from '../context.js';
import type { TableMeta } from '../tables.js';
import { list, str, struct, type FieldRule } from '../validation/shape.js';
import { clearIndexEntries } from './maintain.js';
import { runBackfill } from './backfill.js';
import { findIndex, indexesOf, usedDefinitions, type IndexMeta } from './indexMeta.js';
import { checkIndexKeySchema, checkProjectedCount, checkProjection, globalIndexRule, indexMetaOf, indexThroughputRule, type IndexRequest } from './indexRequests.js';

export interface GlobalIndexUpdate {
  Create?: IndexRequest;
  Update?: { IndexName: string; ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number } };
  Delete?: { IndexName: string };
}

/** The most capacity units DynamoDB takes for a table or an index. */
const MAX_CAPACITY_UNITS = 1_000_000_000_000;
const PREFIX = 'One or more parameter values were invalid: ';
const MAX_GLOBAL = 20;

export const globalIndexUpdatesRule = (): FieldRule => list(struct('GlobalSecondaryIndexUpdate', {
  Update: struct('UpdateGlobalSecondaryIndexAction', {
    IndexName: str({ notNull: true, regex: '[a-zA-Z0-9_.-]+', lengthMin: 3, lengthMax: 255 }),
    ProvisionedThroughput: { ...indexThroughputRule(), notNull: true },
  }),
  Create: globalIndexRule('CreateGlobalSecondaryIndexAction'),
  Delete: struct('DeleteGlobalSecondaryIndexAction', {
    IndexName: str({ notNull: true, regex: '[a-zA-Z0-9_.-]+', lengthMin: 3, lengthMax: 255 }),
  }),
}, { notNull: true }));

/** Checks that need no table: one action per update, one update per index. */
export function checkIndexUpdates(updates: GlobalIndexUpdate[]): void {
  const names = new Set<string>();
  for (const update of updates) {
    const actions = [update.Create, update.Update, update.Delete].filter((action) => action !== undefined);
    if (!actions.length) {
      invalid(`${PREFIX}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`);
    }
    if (actions.length > 1) invalid(`${PREFIX}Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object`);
    const name = actions[0]!.IndexName;
    if (names.has(name)) invalid(`${PREFIX}Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
    names.add(name);
  }
}

/** What the updates change, checked against the table: the new definitions and the index a Create starts. */
export interface IndexChanges {
  indexes: IndexMeta[];
  attributeDefinitions: AttributeDefinition[];
  created?: string;
  deleted?: string;
}

function mergedDefinitions(table: TableMeta, given: AttributeDefinition[] | undefined): AttributeDefinition[] {
  const merged = [...table.attributeDefinitions];
  for (const definition of given ?? []) {
    const existing = merged.findIndex((d) => d.AttributeName === definition.AttributeName);
    if (existing === -1) merged.push(definition);
    else if (merged[existing].AttributeType !== definition.AttributeType) {
      invalid(`${PREFIX}Cannot change the type of an existing key attribute: ${definition.AttributeName}`);
    }
  }
  return merged;
}

function busyIndexes(table: TableMeta): boolean {
  return indexesOf(table).some((index) => index.status !== undefined);
}

export function planIndexUpdates(
  txn: StoreTxn, table: TableMeta, updates: GlobalIndexUpdate[], definitions: AttributeDefinition[] | undefined, nowMs: number, updateMs: number, allocate: (txn: StoreTxn) => number,
): IndexChanges {
  const payPerRequest = table.billingMode === 'PAY_PER_REQUEST';
  const creates = updates.filter((u) => u.Create).length;
  const deletes = updates.filter((u) => u.Delete).length;
  if (creates + deletes > 1 || (creates + deletes > 0 && busyIndexes(table))) {
    throw new LimitExceededException('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  }
  let indexes = [...indexesOf(table)];
  const attributeDefinitions = mergedDefinitions(table, definitions);
  const changes: IndexChanges = { indexes, attributeDefinitions };
  for (const update of updates) {
    if (update.Create) {
      const request = update.Create;
      if (findIndex(table, request.IndexName)) invalid('Attempting to create an index which already exists');
      if (!definitions) invalid(`${PREFIX}AttributeDefinitions is not specified for index: ${request.IndexName}`);
      checkIndexKeySchema(request, attributeDefinitions.map((d) => d.AttributeName));
      checkProjection(request);
      if (payPerRequest && request.ProvisionedThroughput) {
        invalid(`${PREFIX}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${request.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      if (!payPerRequest && !request.ProvisionedThroughput) invalid(`${PREFIX}ProvisionedThroughput must be specified for index: ${request.IndexName}`);
      if (request.Projection.ProjectionType === 'INCLUDE' && !request.Projection.NonKeyAttributes) {
        invalid(`${PREFIX}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
      }
      checkProjectedCount([...indexes.map((index) => ({ Projection: index.projection })), request]);
      if (indexes.filter((index) => index.kind === 'global').length >= MAX_GLOBAL) {
        throw new LimitExceededException(`Subscriber limit exceeded: GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GLOBAL}`);
      }
      indexes.push({ ...indexMetaOf(request, 'global', allocate(txn), payPerRequest), status: 'CREATING' });
      changes.created = request.IndexName;
    } else {
      const name = (update.Update ?? update.Delete)!.IndexName;
      const wanted = update.Update?.ProvisionedThroughput;
      // DynamoDB blocks a capacity beyond its bounds before it looks the index up.
      if (wanted && (wanted.ReadCapacityUnits > MAX_CAPACITY_UNITS || wanted.WriteCapacityUnits > MAX_CAPACITY_UNITS)) {
        invalid('This operation cannot be performed with given input values. Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate');
      }
      const index = findIndex(table, name);
      if (!index) throw new ResourceNotFoundException(`Requested resource not found: Index: ${name} not found for table: ${table.name}`);
      const verb = update.Update ? 'update' : 'delete';
      if (index.kind !== 'global') invalid(`Cannot ${verb} an index that is not a GlobalSecondaryIndex: ${name}`);
      if (index.status === 'DELETING') invalid(`${PREFIX}Index is being deleted: ${name}`);
      if (update.Delete) {
        indexes = indexes.map((candidate) => (candidate === index ? { ...candidate, status: 'DELETING' } : candidate));
        changes.deleted = name;
      } else {
        if (payPerRequest) invalid(`${PREFIX}The only Updates for index: ${name} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`);
        const wanted = update.Update!.ProvisionedThroughput;
        const current = index.throughput!;
        const decreased = wanted.ReadCapacityUnits < current.ReadCapacityUnits || wanted.WriteCapacityUnits < current.WriteCapacityUnits;
        const increased = wanted.ReadCapacityUnits > current.ReadCapacityUnits || wanted.WriteCapacityUnits > current.WriteCapacityUnits;
        const throughput = {
          ...current, ...wanted,
          NumberOfDecreasesToday: current.NumberOfDecreasesToday + (decreased ? 1 : 0),
          ...(increased ? { LastIncreaseDateTime: nowMs } : {}),
          ...(decreased ? { LastDecreaseDateTime: nowMs } : {}),
        };
        indexes = indexes.map((candidate) => (candidate === index ? { ...candidate, throughput, busyUntilMs: nowMs + updateMs } : candidate));
      }
    }
  }
  changes.indexes = indexes;
  // Definitions no key uses are dropped, as DynamoDB drops them (a DELETING index keeps its own until it is gone).
  changes.attributeDefinitions = usedDefinitions({ keySchema: table.keySchema, attributeDefinitions }, indexes);
  return changes;
}

/** Removes a DELETING index: its entries, then its definition. */
export async function finishIndexDelete(ctx: RegionContext, tableName: string, indexName: string): Promise<void> {
  await ctx.store.write((txn) => {
    const table = txn.getTable<TableMeta>(tableName);
    const index = table ? findIndex(table, indexName) : undefined;
    if (!table || index?.status !== 'DELETING') return;
    clearIndexEntries(txn, [index]);
    const remaining = indexesOf(table).filter((candidate) => candidate !== index);
    const { indexes: _old, ...rest } = table;
    const attributeDefinitions = usedDefinitions(table, remaining);
    txn.putTable(tableName, remaining.length ? { ...rest, attributeDefinitions, indexes: remaining } : { ...rest, attributeDefinitions });
  });
}

/** Index work a stopped region left unfinished: backfills start over, deletes complete. */
export function resumeIndexWork(ctx: RegionContext): void {
  const pending = ctx.store.read((txn) => txn.listTableNames().flatMap((name) => {
    const table = txn.getTable<TableMeta>(name)!;
    return indexesOf(table).filter((index) => index.status).map((index) => ({ table: name, index: index.name, status: index.status }));
  }));
  for (const { table, index, status } of pending) {
    if (status === 'CREATING') runBackfill(ctx, table, index);
    else void finishIndexDelete(ctx, table, index).catch(() => undefined);
  }
}
