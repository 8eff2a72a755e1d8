/**
 * A request body read as DynamoDB reads it: bytes that are not UTF-8 or text that is not JSON are
 * a SerializationException without a message, as for any body its JSON parser rejects.
 */
import { NESTING_LIMIT_MESSAGE } from '../../core/nesting.js';
import { SerializationException, ValidationException } from '../errors.js';

/**
 * JSON nesting no valid request reaches, with room to spare: the deepest attribute values of any
 * operation (BatchWriteItem's request → RequestItems → table → write → PutRequest → Item, six
 * levels) nest two levels per attribute level (the value and its M or L), 70 in all. Deeper text
 * is refused before it is parsed: 16 MiB of brackets cost JSON.parse seconds and hundreds of MB.
 */
const MAX_JSON_DEPTH = 100;

// Fatal: replacing bad bytes with U+FFFD would turn two different keys into the same one.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A \uD800–\uDFFF escape in the text; only such escapes can put a surrogate in a parsed string. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** A surrogate that is not half of a pair: a string UTF-8 cannot represent. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function hasLoneSurrogate(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length) {
    const current = pending.pop();
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return true;
    } else if (Array.isArray(current)) {
      for (const element of current) pending.push(element);
    } else if (typeof current === 'object' && current !== null) {
      for (const [name, child] of Object.entries(current)) {
        if (LONE_SURROGATE.test(name)) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

/** Whether the text nests arrays and objects deeper than maxDepth (strings skipped). */
function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // A string: jump to its closing quote, one not escaped by an odd run of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false;
        let backslashes = 0;
        while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes += 1;
        if (backslashes % 2 === 0) break;
      }
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return false;
}

function refuse(cause?: unknown): never {
  throw new SerializationException('', { cause });
}

/** The parsed body (an empty body is an empty request), nested no deeper than a valid request can be. */
export function parseRequestBody(bytes: Uint8Array): unknown {
  if (!bytes.length) return {};
  let text: string;
  let parsed: unknown;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    return refuse(error);
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new ValidationException(NESTING_LIMIT_MESSAGE);
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return refuse(error);
  }
  // A lone surrogate escape is valid JSON but no valid string; it is refused like invalid UTF-8.
  if (SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(parsed)) refuse();
  return parsed;
}
