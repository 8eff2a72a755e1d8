import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5 } from '../../src/core/md5.js';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const digest = (text: string): string => hex(md5(new TextEncoder().encode(text)));

describe('md5', () => {
  it('gives the RFC 1321 test suite digests', () => {
    expect(digest('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(digest('a')).toBe('0cc175b9c0f1b6a831c399e269772661');
    expect(digest('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(digest('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(digest('abcdefghijklmnopqrstuvwxyz')).toBe('c3fcd3d76192e4007dfb496cca67e13b');
    expect(digest('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')).toBe('d174ab98d277d9f5a5611c2c9f419d9f');
    expect(digest('1234567890'.repeat(8))).toBe('57edf4a22be3c955ac49da2e2107b67a');
  });

  it('pads messages at every length around a block boundary', () => {
    // 55, 56 and 64 bytes: the length fits in the last block, needs one more, or starts a new one.
    expect(digest('a'.repeat(55))).toBe('ef1772b6dff9a122358552954ad0df65');
    expect(digest('a'.repeat(56))).toBe('3b0c8ac703f828b04c6c197006d17218');
    expect(digest('a'.repeat(64))).toBe('014842d480b571495a4a0363793f7367');
  });

  it('digests raw bytes, not text', () => {
    expect(hex(md5(new Uint8Array([0x00, 0xff, 0x80])))).toBe('4fd64cb80c3f86e1e9d0f559af8b370f');
  });

  it('agrees with node:crypto at every length up to three blocks, long and short inputs in turn', () => {
    // The working buffers are reused between calls: a short input after a long one must not see its bytes.
    for (let length = 0; length <= 192; length += 1) {
      for (const size of [length, 192 - length]) {
        const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 131 + size) & 0xff);
        expect(hex(md5(bytes))).toBe(createHash('md5').update(bytes).digest('hex'));
      }
    }
  });
});
