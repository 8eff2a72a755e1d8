/** BatchWriteItem: up to 25 puts and deletes over several tables, validated as a whole first. */
import type { Item } from '../../core/types.js';
import { invalid } from '../errors.js';
import { commitItemChange } from '../items/commit.js';
import { keyOfItem, keyOfKeyParam, KeySchemaMismatch, type ResolvedKey } from '../items/keys.js';
import { checkItemSize, normalizeValues, writeUnits } from '../items/request.js';
import { keyShapeOf, requireTable, type TableMeta } from '../tables.js';
import { itemMap, list, map, returnConsumedCapacity, returnItemCollectionMetrics, struct, TABLE_NAME_PATTERN } from '../validation/shape.js';
import { collectionMetricsOf, metricsPerTable, type ItemCollectionMetrics } from '../indexes/collections.js';
import { defineOperation } from './operation.js';

interface WriteRequest {
  PutRequest?: { Item: Item };
  DeleteRequest?: { Key: Item };
}

interface BatchWriteItemRequest {
  RequestItems: Record<string, WriteRequest[]>;
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
}

const MAX_REQUESTS = 25;

interface PlannedWrite {
  table: TableMeta;
  key: ResolvedKey;
  next: Item | null;
}

/** DynamoDB's words for a table's null or empty list of writes, or a null write in it. */
const NULL_WRITES = 'The batch write request list for a table cannot be null or empty';

function checkShape(request: BatchWriteItemRequest): void {
  const tables = Object.entries(request.RequestItems);
  let total = 0;
  for (const [name, requests] of tables) {
    if (requests == null) invalid(`${NULL_WRITES}: ${name}`);
    for (const write of requests) {
      if (write == null) invalid(NULL_WRITES);
      if (Boolean(write.PutRequest) === Boolean(write.DeleteRequest)) {
        invalid('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      }
      if (write.PutRequest) checkItemSize(normalizeValues(write.PutRequest.Item));
      else normalizeValues(write.DeleteRequest!.Key);
      total += 1;
    }
  }
  if (total > MAX_REQUESTS) invalid('Too many items requested for the BatchWriteItem call');
}

export const batchWriteItem = defineOperation<BatchWriteItemRequest, unknown>({
  name: 'BatchWriteItem',
  shape: {
    RequestItems: map(list(struct('WriteRequest', {
      PutRequest: struct('PutRequest', { Item: itemMap({ notNull: true }) }),
      DeleteRequest: struct('DeleteRequest', { Key: itemMap({ notNull: true }) }),
    })), {
      notNull: true, lengthMin: 1, keys: { lengthMin: 3, lengthMax: 255, regex: TABLE_NAME_PATTERN }, values: { lengthMin: 1, lengthMax: MAX_REQUESTS },
    }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
  },
  async run(ctx, request, options) {
    checkShape(request);
    const { units, metrics } = await ctx.store.write((txn) => {
      const planned: PlannedWrite[] = [];
      for (const [name, requests] of Object.entries(request.RequestItems)) {
        const table = requireTable(txn, name, ctx.clock.trueNowMs());
        const shape = keyShapeOf(table);
        const seen = new Set<string>();
        for (const write of requests) {
          let key: ResolvedKey;
          try {
            key = write.PutRequest ? keyOfItem(shape, normalizeValues(write.PutRequest.Item)) : keyOfKeyParam(shape, normalizeValues(write.DeleteRequest!.Key));
          } catch (error) {
            // A put's key missing or mistyped is reported inside a batch as a key parameter's is; sizes and empty values keep their words.
            if (error instanceof KeySchemaMismatch) invalid('The provided key element does not match the schema');
            throw error;
          }
          const id = Array.from(key.encoded).join(',');
          if (seen.has(id)) invalid('Provided list of item keys contains duplicates');
          seen.add(id);
          planned.push({ table, key, next: write.PutRequest ? normalizeValues(write.PutRequest.Item) : null });
        }
      }
      const perTable = new Map<string, number>();
      const metrics: { tableName: string; metrics: ItemCollectionMetrics | undefined }[] = [];
      for (const write of planned) {
        const existing = txn.getItem(write.table.id, write.key.encoded);
        commitItemChange(ctx, txn, { table: write.table, key: write.key.encoded, keys: write.key.keys, existing, next: write.next, forcedTimestampMs: options.timestampMs });
        const name = write.table.name;
        perTable.set(name, (perTable.get(name) ?? 0) + writeUnits(existing?.item ?? undefined, write.next ?? undefined));
        metrics.push({ tableName: name, metrics: collectionMetricsOf(txn, write.table, write.key.keys, request.ReturnItemCollectionMetrics) });
      }
      return { units: perTable, metrics: metricsPerTable(metrics) };
    });
    const response: Record<string, unknown> = { UnprocessedItems: {} };
    if (request.ReturnConsumedCapacity === 'TOTAL' || request.ReturnConsumedCapacity === 'INDEXES') {
      response.ConsumedCapacity = [...units].map(([TableName, CapacityUnits]) => ({
        TableName,
        CapacityUnits,
        ...(request.ReturnConsumedCapacity === 'INDEXES' ? { Table: { CapacityUnits } } : {}),
      }));
    }
    if (metrics) response.ItemCollectionMetrics = metrics;
    return response;
  },
});
