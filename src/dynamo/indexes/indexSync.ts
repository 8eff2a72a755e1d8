/**
 * Global secondary indexes across a global table's replicas (as DynamoDB 2019.11.21 keeps them):
 * a replica is created with the table's indexes, and an index created or deleted in one region is
 * created or deleted in every other. Each region gives the index its own store id and builds its
 * entries from its own items.
 */
import type { AttributeDefinition } from '../../core/types.js';
import { allocateStoreId } from '../ops/createTable.js';
import type { RegionContext } from '../context.js';
import type { TableMeta } from '../tables.js';
import { runBackfill } from './backfill.js';
import { finishIndexDelete } from './indexUpdates.js';
import { findIndex, indexesOf, type IndexMeta } from './indexMeta.js';
import type { StoreTxn } from '../../storage/store.js';

/** An index as another region needs it (without this region's store id or progress). */
export type IndexDefinition = Pick<IndexMeta, 'name' | 'kind' | 'keySchema' | 'projection' | 'throughput'>;

/** What one region tells the others when one of a global table's indexes is created or deleted there. */
export interface IndexChangeRequest {
  table: string;
  /** The table's attribute definitions after a create (the new index's key attributes included). */
  attributeDefinitions?: AttributeDefinition[];
  create?: IndexDefinition;
  delete?: string;
}

export const definitionOf = (index: IndexMeta): IndexDefinition => ({
  name: index.name, kind: index.kind, keySchema: index.keySchema, projection: index.projection, ...(index.throughput ? { throughput: index.throughput } : {}),
});

/** The indexes a new replica is created with (those being deleted left out). */
export const definitionsOf = (table: TableMeta): IndexDefinition[] =>
  indexesOf(table).filter((index) => index.status !== 'DELETING').map(definitionOf);

/** Index definitions made this region's: fresh store ids. */
export const localIndexes = (txn: StoreTxn, definitions: IndexDefinition[]): IndexMeta[] =>
  definitions.map((definition) => ({ ...definition, id: allocateStoreId(txn) }));

/** Applies another region's index change here; repeating one (a retried call) changes nothing. */
export async function applyIndexChange(ctx: RegionContext, change: IndexChangeRequest): Promise<void> {
  const started = await ctx.store.write((txn) => {
    const table = txn.getTable<TableMeta>(change.table);
    if (!table || table.deleting) return undefined;
    if (change.create) {
      if (findIndex(table, change.create.name)) return undefined;
      const definitions = [...table.attributeDefinitions];
      for (const definition of change.attributeDefinitions ?? []) {
        if (!definitions.some((d) => d.AttributeName === definition.AttributeName)) definitions.push(definition);
      }
      // A definition this region could not key the index by is not applied (the sender checked it).
      if (!change.create.keySchema.every((key) => definitions.some((d) => d.AttributeName === key.AttributeName))) return undefined;
      const [index] = localIndexes(txn, [change.create]);
      txn.putTable(table.name, { ...table, attributeDefinitions: definitions, indexes: [...indexesOf(table), { ...index, status: 'CREATING' }] });
      return 'create' as const;
    }
    const index = change.delete ? findIndex(table, change.delete) : undefined;
    if (!index || index.status === 'DELETING') return undefined;
    txn.putTable(table.name, { ...table, indexes: indexesOf(table).map((candidate) => (candidate === index ? { ...candidate, status: 'DELETING' as const } : candidate)) });
    return 'delete' as const;
  });
  if (started === 'create') runBackfill(ctx, change.table, change.create!.name);
  if (started === 'delete') await finishIndexDelete(ctx, change.table, change.delete!);
}
