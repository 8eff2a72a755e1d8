import { describe, expect, it } from 'vitest';
import { compareBytes, encodeItemKey, partitionPrefix, prefixUpperBound, segmentBounds, sortKeyBytes } from '../../src/core/keys.js';
import type { KeyShape } from '../../src/core/types.js';

const shape: KeyShape = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };

describe('keys', () => {
  it('keeps a partition contiguous and prefixed', () => {
    const prefix = partitionPrefix(shape, { S: 'p' });
    const key = encodeItemKey(shape, { pk: { S: 'p' }, sk: { N: '5' } });
    expect(compareBytes(key.subarray(0, prefix.length), prefix)).toBe(0);
    expect(partitionPrefix(shape, { S: 'p' })).toEqual(prefix);
    expect(partitionPrefix(shape, { S: 'q' })).not.toEqual(prefix);
  });

  it('orders numbers numerically', () => {
    const ordered = ['-1e125', '-100', '-1.23', '-1.2', '-1', '-0.001', '0', '1e-130', '0.5', '1', '1.2', '1.23', '9', '10', '1e125'];
    const encoded = ordered.map((n) => sortKeyBytes('N', { N: n }));
    for (let i = 1; i < encoded.length; i += 1) expect(compareBytes(encoded[i - 1], encoded[i])).toBe(-1);
  });

  it('computes prefix upper bounds', () => {
    expect(prefixUpperBound(new Uint8Array([1, 2]))).toEqual(new Uint8Array([1, 3]));
    expect(prefixUpperBound(new Uint8Array([1, 255]))).toEqual(new Uint8Array([2]));
    expect(prefixUpperBound(new Uint8Array([255, 255]))).toBeUndefined();
  });

  it('splits the hash space into contiguous segments', () => {
    const segments = [0, 1, 2].map((i) => segmentBounds(i, 3));
    expect(segments[0].start).toEqual(new Uint8Array([0, 0, 0, 0]));
    expect(segments[0].end).toEqual(segments[1].start);
    expect(segments[1].end).toEqual(segments[2].start);
    expect(segments[2].end).toBeUndefined();
  });
});
