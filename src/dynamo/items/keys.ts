/** Key attributes of a request: checked against the table's schema with DynamoDB's messages. */
import { encodeItemKey } from '../../core/keys.js';
import type { DocumentPath } from '../../core/expr/index.js';
import type { AttributeValue, Item, KeyShape } from '../../core/types.js';
import { own, setOwn } from '../../core/plainData.js';
import { attributeType, attributeValueSize } from '../../core/values.js';
import { invalid, ValidationException } from '../errors.js';
import type { TableMeta } from '../tables.js';

const PREFIX = 'One or more parameter values were invalid: ';
const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;

/** An item's key attribute missing or of the wrong type: inside a batch DynamoDB words it as a schema mismatch. */
export class KeySchemaMismatch extends ValidationException {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationException';
  }
}

export interface ResolvedKey {
  /** Just the key attributes. */
  keys: Item;
  /** The storage key. */
  encoded: Uint8Array;
}

function keyNames(shape: KeyShape): { name: string; type: string; hash: boolean }[] {
  const names = [{ name: shape.hash.name, type: shape.hash.type, hash: true }];
  if (shape.range) names.push({ name: shape.range.name, type: shape.range.type, hash: false });
  return names;
}

/**
 * An empty string or binary key value. A transaction reports it in other words than the
 * single-item operations (see `transactionWording`), before any of its actions runs.
 */
export class EmptyKeyValueError extends ValidationException {
  constructor(readonly keyName: string, readonly kind: 'string' | 'binary') {
    super(`${PREFIX}The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${keyName}`);
    // On the wire it is a ValidationException like any other.
    this.name = 'ValidationException';
  }

  transactionWording(): ValidationException {
    return notValidEmptyKey(this.keyName, this.kind);
  }
}

/** An empty key value as a whole item's key and a transaction's keys report it ("are not valid"). */
function notValidEmptyKey(keyName: string, kind: 'string' | 'binary'): ValidationException {
  return new ValidationException(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${keyName}`);
}

function checkNotEmpty(name: string, type: string, value: AttributeValue): void {
  if (isEmpty(value)) throw new EmptyKeyValueError(name, type === 'S' ? 'string' : 'binary');
}

function isEmpty(value: AttributeValue): boolean {
  return ('S' in value && value.S === '') || ('B' in value && value.B === '');
}

/** The key size limits, for a key or for the values a Query's key condition compares keys with. */
export function checkKeyValueSizes(hash: AttributeValue, range: AttributeValue[] = []): void {
  if (attributeValueSize(hash) > MAX_HASH_KEY_BYTES) {
    invalid(`${PREFIX}Size of hashkey has exceeded the maximum size limit of2048 bytes`);
  }
  if (range.some((value) => attributeValueSize(value) > MAX_RANGE_KEY_BYTES)) {
    invalid(`${PREFIX}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`);
  }
}

function checkSizes(shape: KeyShape, keys: Item): void {
  checkKeyValueSizes(own(keys, shape.hash.name)!, shape.range ? [own(keys, shape.range.name)!] : []);
}

/** The key of a full item (PutItem, BatchWriteItem PutRequest). */
export function keyOfItem(shape: KeyShape, item: Item): ResolvedKey {
  const keys: Item = {};
  for (const { name, type } of keyNames(shape)) {
    const value = own(item, name);
    if (!value) throw new KeySchemaMismatch(`${PREFIX}Missing the key ${name} in the item`);
    if (attributeType(value) !== type) throw new KeySchemaMismatch(`${PREFIX}Type mismatch for key ${name} expected: ${type} actual: ${attributeType(value)}`);
    // A whole item's empty key is worded as a transaction words any empty key.
    if (isEmpty(value)) throw notValidEmptyKey(name, type === 'S' ? 'string' : 'binary');
    setOwn(keys, name, value);
  }
  checkSizes(shape, keys);
  return { keys, encoded: encodeItemKey(shape, keys) };
}

/** A Key parameter (GetItem, UpdateItem, DeleteItem, BatchGetItem, DeleteRequest). */
export function keyOfKeyParam(shape: KeyShape, key: Item): ResolvedKey {
  const expected = keyNames(shape);
  const names = Object.keys(key);
  const matches = names.length === expected.length
    && expected.every(({ name, type }) => Object.hasOwn(key, name) && attributeType(key[name]) === type);
  if (!matches) invalid('The provided key element does not match the schema');
  for (const { name, type } of expected) {
    checkNotEmpty(name, type, key[name]);
  }
  checkSizes(shape, key);
  return { keys: key, encoded: encodeItemKey(shape, key) };
}

/** The key attributes of a table's indexes, in the order the indexes were defined. */
export function indexKeyNames(table: Pick<TableMeta, 'indexes'>): string[] {
  return (table.indexes ?? []).flatMap((index) => index.keySchema.map((element) => element.AttributeName));
}

/** A key attribute (of the table, then of an index) is a scalar: an expression may not look inside it (a.b, a[0]). */
export function checkKeyPaths(shape: KeyShape, paths: DocumentPath[], indexKeys: string[] = []): void {
  const nested = new Set(paths.filter((path) => path.length > 1).map((path) => path[0]));
  if (!nested.size) return;
  const tableKeys = [shape.hash.name, ...(shape.range ? [shape.range.name] : [])];
  for (const name of tableKeys) {
    if (nested.has(name)) invalid(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${name}`);
  }
  for (const name of indexKeys) {
    if (nested.has(name)) invalid(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: ${name}`);
  }
}
