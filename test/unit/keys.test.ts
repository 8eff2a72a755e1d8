import { describe, expect, it } from 'vitest';
import { compareBytes, encodeItemKey, hashNumberBytes, partitionPrefix, prefixUpperBound, scalarBytes, segmentBounds, sortKeyBytes } from '../../src/core/keys.js';
import type { KeyShape } from '../../src/core/types.js';

const shape: KeyShape = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };

describe('keys', () => {
  it('takes a string key by its UTF-8 bytes, ASCII or not, short or long', () => {
    for (const text of ['', 'pk-1', 'é', 'a€b', '😀', '\ud800x', 'x'.repeat(64), `${'y'.repeat(64)}é`, 'z'.repeat(500)]) {
      expect(scalarBytes('S', { S: text })).toEqual(new TextEncoder().encode(text));
    }
  });

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
    expect(segments[0].start).toEqual(new Uint8Array([0, 0]));
    // DynamoDB's split: segment i of n starts at 12-bit digest prefix ceil(4096·i/n).
    expect(segments[1].start).toEqual(new Uint8Array([0x55, 0x60]));
    expect(segments[2].start).toEqual(new Uint8Array([0xaa, 0xb0]));
    expect(segments[0].end).toEqual(segments[1].start);
    expect(segments[1].end).toEqual(segments[2].start);
    expect(segments[2].end).toBeUndefined();
  });

  it('places partitions by MD5 of "Outliers" and the hashed key bytes, as DynamoDB does', () => {
    // MD5("Outliers" + "a") starts f655; MD5("Outliers" + [0xc1, 0x02]) (the number 1) starts c3a0.
    expect(hex(partitionPrefix({ hash: { name: 'pk', type: 'S' } }, { S: 'a' })).slice(0, 4)).toBe('f655');
    expect(hex(partitionPrefix({ hash: { name: 'pk', type: 'N' } }, { N: '1' })).slice(0, 4)).toBe('c3a0');
    // Equal numbers are one partition however they are written.
    expect(partitionPrefix({ hash: { name: 'pk', type: 'N' } }, { N: '1.0' })).toEqual(partitionPrefix({ hash: { name: 'pk', type: 'N' } }, { N: '1' }));
  });

  it('hashes numbers by their base-100 bytes', () => {
    expect(hashNumberBytes('0')).toEqual(new Uint8Array([0x80]));
    expect(hashNumberBytes('1')).toEqual(new Uint8Array([0xc1, 2]));
    expect(hashNumberBytes('100')).toEqual(new Uint8Array([0xc2, 2]));
    expect(hashNumberBytes('123.45')).toEqual(new Uint8Array([0xc2, 2, 24, 46]));
    expect(hashNumberBytes('0.001')).toEqual(new Uint8Array([0xbf, 11]));
    expect(hashNumberBytes('-1')).toEqual(new Uint8Array([0x3e, 100, 102]));
    expect(hashNumberBytes('-123.45')).toEqual(new Uint8Array([0x3d, 100, 78, 56, 102]));
    // 20 pairs or more: no trailing 102.
    expect(hashNumberBytes(`-${'1'.repeat(40)}`)).toHaveLength(21);
  });
});

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
