/**
 * MD5 (RFC 1321), over bytes. DynamoDB places partitions by an MD5 digest of their key, so the
 * order a Scan visits partitions in, and the share of them a parallel Scan segment holds, follow
 * from it. Not used for anything that needs to be secure. Kept here (not node:crypto) because
 * src/core is pure.
 */

/** Per-round left-rotation amounts. */
const SHIFTS = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

/** floor(|sin(i + 1)| × 2^32). */
const CONSTANTS = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x1_0000_0000) | 0);

/** Which message word each step reads. */
const WORD_INDEX = Uint8Array.from({ length: 64 }, (_, i) =>
  i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16);

const words = new Int32Array(16);
/** Scratch for the last one or two blocks; reused, as md5 is called for every key a region stores or reads. */
const tail = new Uint8Array(128);
const state = new Int32Array(4);

const rotate = (value: number, shift: number): number => (value << shift) | (value >>> (32 - shift));

/** One MD5 block; the four rounds are separate loops so each has one mixing function. */
function compress(block: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i += 1) {
    const j = at + i * 4;
    words[i] = block[j] | (block[j + 1] << 8) | (block[j + 2] << 16) | (block[j + 3] << 24);
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let f: number;
  let t: number;
  for (let i = 0; i < 16; i += 1) {
    f = (b & c) | (~b & d);
    t = d;
    d = c;
    c = b;
    b = (b + rotate((a + f + CONSTANTS[i] + words[i]) | 0, SHIFTS[i])) | 0;
    a = t;
  }
  for (let i = 16; i < 32; i += 1) {
    f = (d & b) | (~d & c);
    t = d;
    d = c;
    c = b;
    b = (b + rotate((a + f + CONSTANTS[i] + words[WORD_INDEX[i]]) | 0, SHIFTS[i])) | 0;
    a = t;
  }
  for (let i = 32; i < 48; i += 1) {
    f = b ^ c ^ d;
    t = d;
    d = c;
    c = b;
    b = (b + rotate((a + f + CONSTANTS[i] + words[WORD_INDEX[i]]) | 0, SHIFTS[i])) | 0;
    a = t;
  }
  for (let i = 48; i < 64; i += 1) {
    f = c ^ (b | ~d);
    t = d;
    d = c;
    c = b;
    b = (b + rotate((a + f + CONSTANTS[i] + words[WORD_INDEX[i]]) | 0, SHIFTS[i])) | 0;
    a = t;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

const writeUint32LE = (out: Uint8Array, at: number, value: number): void => {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = (value >>> 16) & 0xff;
  out[at + 3] = (value >>> 24) & 0xff;
};

/** The 16-byte MD5 digest of `bytes`. */
export function md5(bytes: Uint8Array): Uint8Array {
  state[0] = 0x67452301;
  state[1] = 0xefcdab89 | 0;
  state[2] = 0x98badcfe | 0;
  state[3] = 0x10325476;
  const whole = bytes.length - (bytes.length % 64);
  for (let at = 0; at < whole; at += 64) compress(bytes, at);
  // The tail, a 1 bit, zeros, and the message length in bits (little-endian) fill one or two blocks.
  const tailLength = bytes.length - whole;
  const blocksBytes = tailLength < 56 ? 64 : 128;
  tail.fill(0, 0, blocksBytes);
  tail.set(bytes.subarray(whole));
  tail[tailLength] = 0x80;
  const bits = bytes.length * 8;
  writeUint32LE(tail, blocksBytes - 8, bits >>> 0);
  writeUint32LE(tail, blocksBytes - 4, Math.floor(bits / 0x1_0000_0000));
  for (let at = 0; at < blocksBytes; at += 64) compress(tail, at);
  const digest = new Uint8Array(16);
  for (let i = 0; i < 4; i += 1) writeUint32LE(digest, i * 4, state[i]);
  return digest;
}
