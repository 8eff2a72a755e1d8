/**
 * Mutations of a valid request: a member replaced by a value of the wrong type, removed, or a
 * member added under an odd name; strings long, odd or invalid in UTF-8; expressions rewritten
 * into token soup. Each keeps the rest of the request valid.
 */
import fc from 'fast-check';
import { attributeValue } from './validRequests.js';
import { TRICKY_NAMES } from './world.js';

type Json = unknown;
type Path = (string | number)[];

/** Replaced by invalid UTF-8 bytes once the body is encoded (JSON cannot carry them). */
export const INVALID_UTF8_MARKER = '@@invalid-utf8@@';
export const INVALID_UTF8_SEQUENCES = [[0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];

export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...TRICKY_NAMES, '', ' ', '#', ':', '#__proto__', ':constructor', '\u0000', '\ud800', '\udc00x', 'a\u0007b', '\u2028', '😀', INVALID_UTF8_MARKER),
  fc.tuple(fc.constantFrom('a', 'é', '😀', '\ud800'), fc.integer({ min: 250, max: 70_000 })).map(([unit, count]) => unit.repeat(count)),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

const EXPRESSION_TOKENS = ['(', ')', 'AND', 'OR', 'NOT', '#a', '#b', '#__proto__', ':v', ':constructor', 'a', 'constructor', '__proto__', '.', '[0]', '[99999999999]',
  ',', '=', '<>', '<', '>=', 'BETWEEN', 'IN', 'size', 'attribute_exists', 'begins_with', 'contains', 'SET', 'REMOVE', 'ADD', 'DELETE', '+', '-',
  'if_not_exists', 'list_append', 'toString', 'valueOf', '1', ''];

export const expressionSoup: fc.Arbitrary<string> = fc.array(fc.constantFrom(...EXPRESSION_TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(' '));

/** Nested lists or maps a few levels past DynamoDB's 32 (deep enough for its check, not for the stack). */
const moderatelyDeep = fc.tuple(fc.integer({ min: 30, max: 60 }), fc.boolean()).map(([depth, asMap]) => {
  let value: Json = { S: 'leaf' };
  for (let i = 0; i < depth; i += 1) value = asMap ? { M: { a: value } } : { L: [value] };
  return value;
});

export const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e300, -0, {}, [], [null], { '': null }),
  oddString,
  expressionSoup,
  attributeValue,
  moderatelyDeep,
  fc.dictionary(fc.oneof(oddString, fc.constantFrom(...TRICKY_NAMES)), fc.constantFrom(null, 1, 'x', {}, [], { S: 'x' }), { maxKeys: 3 }),
  fc.array(fc.constantFrom(null, 1, 'x', {}, [], { S: 'x' }), { maxLength: 3 }),
);

/** Every path in a JSON value (the root excluded), parents before children. */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (out.length > 400) return out;
  if (Array.isArray(value)) value.forEach((child, i) => { out.push([...prefix, i]); pathsOf(child, [...prefix, i], out); });
  else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push([...prefix, key]);
      pathsOf((value as Record<string, Json>)[key], [...prefix, key], out);
    }
  }
  return out;
}

function setMember(target: Record<string | number, Json>, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'null' | 'remove'; at: number }
  | { kind: 'rename' | 'addCopy'; at: number; key: string }
  | { kind: 'retext'; at: number; text: string };

const trickyKey = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TRICKY_NAMES) }, { weight: 1, arbitrary: oddString });

/**
 * Weighted towards what stays well-typed around the change (a null member, a member renamed or
 * copied under a tricky name, a string swapped for an odd one), so the request gets past the
 * type checks to the code that uses the names.
 */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: weirdValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('null' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('rename' as const, 'addCopy' as const), at: fc.nat(), key: trickyKey }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retext' as const), at: fc.nat(), text: fc.oneof(trickyKey, expressionSoup) }) },
);

type Container = Record<string | number, Json>;

function apply(request: Json, m: Mutation): Json {
  const copy = structuredClone(request) as Container;
  const paths = pathsOf(copy);
  if (!paths.length) return copy;
  const path = paths[m.at % paths.length];
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Container)[step];
  const container = parent as Container;
  const last = path[path.length - 1];
  const value = container[last];
  switch (m.kind) {
    case 'replace': setMember(container, last, m.value); break;
    case 'null': setMember(container, last, null); break;
    case 'remove':
      if (Array.isArray(container)) container.splice(last as number, 1);
      else delete container[last];
      break;
    case 'retext': if (typeof value === 'string') setMember(container, last, m.text); break;
    default:
      if (Array.isArray(container)) break;
      if (m.kind === 'rename') delete container[last];
      setMember(container, m.key, structuredClone(value));
  }
  return copy;
}

/** A valid request, or one to three mutations of it. */
export function mutated(valid: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc.tuple(valid, fc.array(mutation, { minLength: 0, maxLength: 3 })).map(([request, mutations]) => mutations.reduce(apply, request));
}
