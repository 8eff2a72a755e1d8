/** Capacity of the transaction operations: twice what the same reads and writes cost outside one. */
import type { Item } from '../../core/types.js';
import { itemSize } from '../../core/values.js';
import { readUnits, writeUnits } from '../items/request.js';

const TRANSACTIONAL_FACTOR = 2;

/** 2 write units per KB of the larger of the item before and after. */
export const transactionalWriteUnits = (...items: (Item | undefined)[]): number => TRANSACTIONAL_FACTOR * writeUnits(...items);

/** 2 read units per 4 KB (a transactional read is strongly consistent). */
export const transactionalReadUnits = (item: Item | undefined): number => TRANSACTIONAL_FACTOR * readUnits(item ? itemSize(item) : 0, true);

/** Adds units to a table's running total, in the order tables first appear. */
export function addUnits(perTable: Map<string, number>, table: string, units: number): void {
  perTable.set(table, (perTable.get(table) ?? 0) + units);
}

/** ConsumedCapacity as the transaction operations return it: one entry per table. */
export function capacityResponse(perTable: Map<string, number>, mode: string | undefined): Record<string, unknown> {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  return {
    ConsumedCapacity: [...perTable].map(([TableName, CapacityUnits]) => ({
      TableName,
      CapacityUnits,
      ...(mode === 'INDEXES' ? { Table: { CapacityUnits } } : {}),
    })),
  };
}
