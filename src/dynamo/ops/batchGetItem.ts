/** BatchGetItem: up to 100 items by key over several tables; what does not fit in 16 MB is left unprocessed. */
import { project } from '../../core/expr/index.js';
import { own, setOwn } from '../../core/plainData.js';
import type { Item } from '../../core/types.js';
import { itemSize } from '../../core/values.js';
import { invalid } from '../errors.js';
import { keyOfKeyParam } from '../items/keys.js';
import { requestExpressions } from '../items/legacy.js';
import { checkExpressionParams, normalizeValues, readUnits } from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { bool, expressionNames, itemMap, list, map, returnConsumedCapacity, str, struct, TABLE_NAME_PATTERN } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface KeysAndAttributes {
  Keys: Item[];
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  AttributesToGet?: string[];
  ConsistentRead?: boolean;
}

interface BatchGetItemRequest {
  RequestItems: Record<string, KeysAndAttributes>;
  ReturnConsumedCapacity?: string;
}

const MAX_KEYS = 100;
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** A key as DynamoDB compares a batch's keys before it knows the schema: its attributes in any order. */
function keyIdentity(key: Item): string {
  return Object.keys(key).sort().map((name) => JSON.stringify([name, own(key, name)])).join(',');
}

interface TablePlan {
  name: string;
  entry: KeysAndAttributes;
  keys: Item[];
  parsed: ReturnType<typeof requestExpressions>;
}

/** Each table's part of the request checked, as DynamoDB does, before any table is looked up. */
function planRequest(request: BatchGetItemRequest): TablePlan[] {
  let total = 0;
  return Object.entries(request.RequestItems).map(([name, entry]) => {
    if (entry == null) invalid(`The list of keys in RequestItems for BatchGetItem is required: ${name} has empty list`);
    if (entry.Keys.includes(null as unknown as Item)) {
      invalid(`The list of keys in RequestItems for BatchGetItem may not contain null or empty values: ${name} has one or more empty keys`);
    }
    checkExpressionParams(entry as unknown as Record<string, unknown>, ['ProjectionExpression'], ['AttributesToGet']);
    const parsed = requestExpressions(entry);
    const seen = new Set<string>();
    const keys = entry.Keys.map((key) => {
      const normalized = normalizeValues(key);
      const identity = keyIdentity(normalized);
      if (seen.has(identity)) invalid('Provided list of item keys contains duplicates');
      seen.add(identity);
      total += 1;
      if (total > MAX_KEYS) invalid('Too many items requested for the BatchGetItem call');
      return normalized;
    });
    return { name, entry, keys, parsed };
  });
}

export const batchGetItem = defineOperation<BatchGetItemRequest, unknown>({
  name: 'BatchGetItem',
  shape: {
    RequestItems: map(struct('KeysAndAttributes', {
      Keys: list(itemMap(), { notNull: true, lengthMin: 1, lengthMax: MAX_KEYS }),
      AttributesToGet: list(str(), { lengthMin: 1, lengthMax: 255 }),
      ConsistentRead: bool(),
      ProjectionExpression: str(),
      ExpressionAttributeNames: expressionNames(),
    }), { notNull: true, lengthMin: 1, keys: { lengthMin: 3, lengthMax: 255, regex: TABLE_NAME_PATTERN } }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
  },
  run(ctx, request) {
    const plans = planRequest(request);
    return ctx.store.read((txn) => {
      const responses: Record<string, Item[]> = {};
      const unprocessed: Record<string, KeysAndAttributes> = {};
      const capacity: { TableName: string; CapacityUnits: number }[] = [];
      let bytes = 0;
      for (const plan of plans) {
        const table = requireTable(txn, plan.name, ctx.clock.trueNowMs());
        const shape = keyShapeOf(table);
        const resolved = plan.keys.map((key) => keyOfKeyParam(shape, key));
        const seen = new Set(resolved.map((key) => Array.from(key.encoded).join(',')));
        if (seen.size !== resolved.length) invalid('Provided list of item keys contains duplicates');
        const found: Item[] = [];
        let units = 0;
        resolved.forEach((key, index) => {
          if (bytes > MAX_RESPONSE_BYTES) {
            const left = own(unprocessed, plan.name) ?? { ...plan.entry, Keys: [] };
            left.Keys.push(plan.keys[index]);
            setOwn(unprocessed, plan.name, left);
            return;
          }
          const item = txn.getItem(table.id, key.encoded)?.item;
          // Every key read is charged, found or not, as by GetItem.
          const size = item ? itemSize(item) : 0;
          units += readUnits(size, plan.entry.ConsistentRead === true);
          if (!item) return;
          bytes += size;
          found.push(plan.parsed.projection ? project(item, plan.parsed.projection) : item);
        });
        setOwn(responses, plan.name, found);
        capacity.push({ TableName: plan.name, CapacityUnits: units });
      }
      const response: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
      const mode = request.ReturnConsumedCapacity;
      if (mode === 'TOTAL' || mode === 'INDEXES') {
        response.ConsumedCapacity = capacity.map((c) => (mode === 'INDEXES' ? { ...c, Table: { CapacityUnits: c.CapacityUnits } } : c));
      }
      return response;
    });
  },
});
