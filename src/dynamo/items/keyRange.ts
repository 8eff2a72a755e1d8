/** Turns a resolved key condition into a contiguous range of encoded keys. */
import type { KeyCondition } from '../../core/expr/index.js';
import { compareBytes, partitionPrefix, prefixUpperBound, sortKeyBytes } from '../../core/keys.js';
import type { KeyShape } from '../../core/types.js';

export interface KeyRange {
  start: Uint8Array;
  /** Exclusive; undefined means "to the end of the keyspace". */
  end?: Uint8Array;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The smallest byte string greater than `bytes` itself (but not than its extensions). */
export function justAfter(bytes: Uint8Array): Uint8Array {
  return concat(bytes, new Uint8Array([0]));
}

export function queryRange(shape: KeyShape, condition: KeyCondition): KeyRange {
  const prefix = partitionPrefix(shape, condition.hash);
  const partitionEnd = prefixUpperBound(prefix);
  const range = condition.range;
  if (!range || !shape.range) return { start: prefix, end: partitionEnd };
  const at = (index: number): Uint8Array => concat(prefix, sortKeyBytes(shape.range!.type, range.values[index]));
  switch (range.op) {
    case '=': return { start: at(0), end: justAfter(at(0)) };
    case '<': return { start: prefix, end: at(0) };
    case '<=': return { start: prefix, end: justAfter(at(0)) };
    case '>': return { start: justAfter(at(0)), end: partitionEnd };
    case '>=': return { start: at(0), end: partitionEnd };
    case 'BETWEEN': return { start: at(0), end: justAfter(at(1)) };
    default: return { start: at(0), end: prefixUpperBound(at(0)) ?? partitionEnd }; // BEGINS_WITH
  }
}

/** Narrows a range to what follows (or, in reverse, precedes) an ExclusiveStartKey. */
export function resumeAfter(range: KeyRange, startKey: Uint8Array, reverse: boolean): KeyRange {
  if (reverse) {
    const end = range.end && compareBytes(range.end, startKey) < 0 ? range.end : startKey;
    return { start: range.start, end };
  }
  const after = justAfter(startKey);
  return { start: compareBytes(after, range.start) > 0 ? after : range.start, end: range.end };
}

/** Whether a table key falls inside a parallel scan's segment (whatever order the keys are stored in). */
export function withinSegment(segment: KeyRange, key: Uint8Array): boolean {
  return compareBytes(key, segment.start) >= 0 && (segment.end === undefined || compareBytes(key, segment.end) < 0);
}
