/**
 * The simulator's only source of randomness: xoshiro128** seeded through splitmix32, pure 32-bit
 * integer arithmetic (Math.imul, shifts), so one seed gives the same numbers on every platform.
 *
 * Each generator also has a 128-bit key that names its stream. `split(name)` derives a child's
 * key from (this key, name) alone, never from the generator's state, so how many numbers a
 * component has drawn, or whether a new component was added, never shifts another's stream.
 */
import { uuidFromBytes, type IdSource } from '../core/ids.js';

/** pick() from an empty array: there is nothing to choose. */
export class EmptyChoiceError extends Error {
  constructor() {
    super('cannot pick from an empty array');
    this.name = 'EmptyChoiceError';
  }
}

const TWO_POW_32 = 0x1_0000_0000;

/** The murmur3 finalizer: every input bit affects every output bit. */
function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A key from a numeric seed: any safe integer (negative ones too) names a distinct stream. */
function keyFromSeed(seed: number): Uint32Array {
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  return Uint32Array.of(mix32(low ^ 0x6a09e667), mix32(high ^ 0xbb67ae85), mix32(low ^ high ^ 0x3c6ef372), mix32(Math.imul(low, 0x9e3779b9) ^ 0xa54ff53a));
}

/** A child key: each lane hashes the name (FNV-1a style) starting from a different mix of the parent's lanes. */
function childKey(parent: Uint32Array, name: string): Uint32Array {
  const child = new Uint32Array(4);
  for (let lane = 0; lane < 4; lane += 1) {
    let h = parent[lane] ^ mix32(parent[(lane + 1) & 3] + lane);
    for (let i = 0; i < name.length; i += 1) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    child[lane] = mix32(h ^ name.length);
  }
  return child;
}

export class SimRandom implements IdSource {
  private readonly key: Uint32Array;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** seed: any safe integer; print it with a failing test so the run can be replayed. */
  constructor(seed: number | Uint32Array) {
    this.key = typeof seed === 'number' ? keyFromSeed(seed) : Uint32Array.from(seed);
    // splitmix32 over the key fills the state; xoshiro must not start from all zeros, and this never does.
    let x = this.key[0] ^ this.key[1] ^ this.key[2] ^ this.key[3];
    const state: number[] = [];
    for (let lane = 0; lane < 4; lane += 1) {
      x = (x + 0x9e3779b9 + this.key[lane]) | 0;
      state.push(mix32(x) || 1);
    }
    [this.s0, this.s1, this.s2, this.s3] = state;
  }

  /** An independent stream named by (this generator's key, name): the same every run, whatever was drawn. */
  split(name: string): SimRandom {
    return new SimRandom(childKey(this.key, name));
  }

  /** The next 32 random bits as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** A whole number in [0, n); n a positive integer below 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p (p <= 0 never draws true, p >= 1 always does). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + this.next() * (b - a);
  }

  /** Exponentially distributed with the given mean; V8's Math.log is the same fdlibm port everywhere. */
  exponential(meanMs: number): number {
    return -meanMs * Math.log(1 - this.next());
  }

  pick<T>(array: readonly T[]): T {
    if (array.length === 0) throw new EmptyChoiceError();
    return array[this.int(array.length)];
  }

  /** An RFC 4122 version 4 shaped id drawn from this stream. */
  uuid(): string {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) {
      const word = this.nextUint32();
      bytes[i] = word >>> 24;
      bytes[i + 1] = word >>> 16;
      bytes[i + 2] = word >>> 8;
      bytes[i + 3] = word;
    }
    return uuidFromBytes(bytes);
  }
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
