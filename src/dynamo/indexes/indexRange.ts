/** A Query's key condition on an index as a contiguous range of entry keys (index key, then table key). */
import type { KeyCondition } from '../../core/expr/index.js';
import { concatBytes, delimitedSortBytes, sortPrefixBytes } from '../../core/indexKeys.js';
import { partitionPrefix, prefixUpperBound } from '../../core/keys.js';
import type { KeyShape } from '../../core/types.js';
import type { KeyRange } from '../items/keyRange.js';

export function indexQueryRange(shape: KeyShape, condition: KeyCondition): KeyRange {
  const prefix = partitionPrefix(shape, condition.hash);
  const partitionEnd = prefixUpperBound(prefix);
  const range = condition.range;
  if (!range || !shape.range) return { start: prefix, end: partitionEnd };
  const type = shape.range.type;
  // Entries with sort value v start with at(v); every one of them sorts before upTo(v).
  const at = (index: number): Uint8Array => concatBytes(prefix, delimitedSortBytes(type, range.values[index]));
  const upTo = (index: number): Uint8Array => prefixUpperBound(at(index)) ?? partitionEnd!;
  switch (range.op) {
    case '=': return { start: at(0), end: upTo(0) };
    case '<': return { start: prefix, end: at(0) };
    case '<=': return { start: prefix, end: upTo(0) };
    case '>': return { start: upTo(0), end: partitionEnd };
    case '>=': return { start: at(0), end: partitionEnd };
    case 'BETWEEN': return { start: at(0), end: upTo(1) };
    default: { // BEGINS_WITH
      const start = concatBytes(prefix, sortPrefixBytes(type, range.values[0]));
      return { start, end: prefixUpperBound(start) ?? partitionEnd };
    }
  }
}
