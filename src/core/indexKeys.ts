/**
 * Storage keys of secondary index entries. An entry's key is the index key, then a digest of the
 * table key (DynamoDB orders entries with equal index keys by it), then the table key, so one
 * index partition is contiguous and ordered by the index sort key, and two items with the same
 * index key still have distinct entries. Because the table key follows, the index
 * sort key must end unambiguously: its bytes are escaped (0x00 → 0x00 0x01) and terminated by
 * 0x00 0x00, which keeps DynamoDB's order (a value sorts before every value it is a prefix of).
 */
import { encodeItemKey, hashBytes, keyDigest, partitionPrefix, sortKeyBytes } from './keys.js';
import { own } from './plainData.js';
import type { AttributeValue, Item, KeyShape, KeyType } from './types.js';

function escaped(bytes: Uint8Array, terminated: boolean): Uint8Array {
  let zeros = 0;
  for (const byte of bytes) if (byte === 0) zeros += 1;
  const out = new Uint8Array(bytes.length + zeros + (terminated ? 2 : 0));
  let at = 0;
  for (const byte of bytes) {
    out[at++] = byte;
    if (byte === 0) out[at++] = 1;
  }
  return out; // a terminator's two bytes are already zero
}

/** An index sort key value as it appears in an entry key (self-delimiting). */
export function delimitedSortBytes(type: KeyType, value: AttributeValue): Uint8Array {
  return escaped(sortKeyBytes(type, value), true);
}

/** The bytes every entry whose index sort key begins with `value` (S or B) starts its sort key with. */
export function sortPrefixBytes(type: KeyType, value: AttributeValue): Uint8Array {
  return escaped(sortKeyBytes(type, value), false);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The index part of an entry key: the index partition, then the delimited index sort key. */
export function encodeIndexKey(indexShape: KeyShape, item: Item): Uint8Array {
  const prefix = partitionPrefix(indexShape, own(item, indexShape.hash.name)!);
  if (!indexShape.range) return prefix;
  return concatBytes(prefix, delimitedSortBytes(indexShape.range.type, own(item, indexShape.range.name)!));
}

/** The order DynamoDB gives entries with equal index keys: MD5 over the table key's hashed bytes. */
function tableKeyDigest(tableShape: KeyShape, item: Item): Uint8Array {
  const hash = hashBytes(tableShape.hash.type, own(item, tableShape.hash.name)!);
  if (!tableShape.range) return keyDigest(hash);
  return keyDigest(hash, hashBytes(tableShape.range.type, own(item, tableShape.range.name)!));
}

/** An entry's key: index key, table key digest, then table key. `item` holds both keys' attributes. */
export function encodeEntryKey(indexShape: KeyShape, tableShape: KeyShape, item: Item): Uint8Array {
  return concatBytes(encodeIndexKey(indexShape, item), tableKeyDigest(tableShape, item), encodeItemKey(tableShape, item));
}
