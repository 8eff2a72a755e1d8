/**
 * Change messages read back into this project's terms: schema version 3 (msgpack, a group of
 * changes, wireEncode.ts), and versions 2 (msgpack, one change) and 1 (JSON), which a stream may
 * still hold from before an upgrade. JSON and msgpack are told apart by their first byte: a JSON
 * object starts with `{`, a msgpack map never does.
 */
import { Buffer } from 'node:buffer';
import { Unpackr } from 'msgpackr';
import { setOwn } from '../core/plainData.js';
import { formatDecimal, parseDecimal } from '../core/decimal.js';
import type { AttributeValue, Item, Version } from '../core/types.js';
import type { VersionedState } from '../core/lww.js';
import { LEGACY_SCHEMA_VERSION, SCHEMA_VERSION, SINGLE_CHANGE_SCHEMA_VERSION, UnreadableChangeMessageError, type ChangeMessage, type ChangeMessageV1, type ReceivedMessage, type WireAttributes } from './wire.js';

const unpackr = new Unpackr({ useRecords: false });
/**
 * msgpackr renames a map key `__proto__` to `__proto_` (to keep it from setting a prototype). A
 * message in which an attribute name reads `__proto_` is read again as Maps, every name kept.
 */
const mapUnpackr = new Unpackr({ useRecords: false, mapsAsObjects: false });
const RENAMED_PROTO = '__proto_';
/** Set when reading a message met the name msgpackr gives `__proto__`. */
let renamedProto = false;
const JSON_OBJECT = 0x7b;
const decoder = new TextDecoder();

type Attributes = NonNullable<VersionedState['attributes']>;

interface WireChange extends Omit<ChangeMessage, 'schemaVersion' | 'service' | 'attributes'> {
  schemaVersion: number;
  userIdentity?: unknown;
  attributes?: WireAttributes;
}

/** Schema version 3: the fields its changes share, once. */
interface WireGroup {
  schemaVersion: number;
  region: string;
  origin: string;
  table: string;
  ownCount: number;
  changes: WireChange[];
}

/** Maps (and Maps within) as plain objects, any key name kept as an own property. */
function plainObjects(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of value) setOwn(out, String(key), plainObjects(inner));
    return out;
  }
  if (Array.isArray(value)) return value.map(plainObjects);
  return value;
}

function base64Of(bytes: unknown): string {
  if (!(bytes instanceof Uint8Array)) throw new UnreadableChangeMessageError('a binary value is not msgpack bin');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const EXPONENT_FORM = /^(-?)(\d+)E([+-])(\d+)$/;

/** A number sent in exponent form, back in the positional form it is stored in (the shapes shortNumber writes, by hand; any other by the decimal code). */
function storedNumber(text: string): string {
  if (!text.includes('E')) return text;
  const match = EXPONENT_FORM.exec(text);
  if (match) {
    const [, sign, digits, direction, places] = match;
    const count = Number(places);
    if (direction === '+' && digits[0] !== '0') return `${sign}${digits}${'0'.repeat(count)}`;
    if (direction === '-' && count >= digits.length && digits[digits.length - 1] !== '0') return `${sign}0.${'0'.repeat(count - digits.length)}${digits}`;
  }
  return formatDecimal(parseDecimal(text));
}

/** Turns a wire value into a stored one, in place (it was just decoded, nobody else holds it). */
function readValue(value: AttributeValue): void {
  if ('S' in value) return;
  const v = value as Record<string, unknown>;
  if ('N' in value) v.N = storedNumber(value.N);
  else if ('B' in value) v.B = base64Of(value.B);
  else if ('M' in value) readItem(value.M);
  else if ('L' in value) for (const inner of value.L) readValue(inner);
  else if ('BS' in value) v.BS = (value.BS as unknown[]).map(base64Of);
  else if ('NS' in value) v.NS = value.NS.map(storedNumber);
}

function readItem(item: Item): Item {
  // Decoded maps are plain objects: every enumerable key is their own.
  for (const name in item) {
    if (name === RENAMED_PROTO) renamedProto = true;
    readValue(item[name]);
  }
  return item;
}

function nonKeyAttributes(newImage: Item | undefined, keys: Item): Item {
  const values: Item = {};
  if (newImage) for (const name of Object.keys(newImage)) if (!Object.hasOwn(keys, name)) setOwn(values, name, newImage[name]);
  return values;
}

function readAttributes(wire: WireAttributes, newImage: Item | undefined, keys: Item): Attributes {
  const table = wire.versionTable.map(([ts, counter, region]): Version => ({ ts, counter, region: wire.regions[region] }));
  const at = (index: number): Version => {
    const version = table[index];
    if (!version) throw new UnreadableChangeMessageError(`attribute version ${index} is not in the version table`);
    return version;
  };
  const versions: Record<string, Version> = {};
  for (const name of Object.keys(wire.versions)) {
    if (name === RENAMED_PROTO) renamedProto = true;
    setOwn(versions, name, at(wire.versions[name]));
  }
  return {
    versions,
    values: wire.values ? readItem(wire.values) : nonKeyAttributes(newImage, keys),
    ...(wire.floor !== undefined ? { floor: at(wire.floor) } : {}),
    ...(wire.live !== undefined ? { live: at(wire.live) } : {}),
  };
}

/** The fields both versions carry as they are. */
type Common = Pick<ChangeMessageV1, 'eventName' | 'table' | 'region' | 'origin' | 'version' | 'prevVersion' | 'lsn' | 'commitTimeMs'> & { userIdentity?: unknown };

function message(schemaVersion: ChangeMessage['schemaVersion'], fields: Common, keys: Item, newImage: Item | undefined, attributes: Attributes | undefined): ChangeMessage {
  return {
    schemaVersion,
    eventName: fields.eventName,
    table: fields.table,
    keys,
    ...(newImage ? { newImage } : {}),
    region: fields.region,
    origin: fields.origin,
    version: fields.version,
    ...(fields.prevVersion ? { prevVersion: fields.prevVersion } : {}),
    lsn: fields.lsn,
    commitTimeMs: fields.commitTimeMs,
    ...(fields.userIdentity ? { service: true as const } : {}),
    ...(attributes ? { attributes } : {}),
  };
}

/**
 * Turned into a ChangeMessage in place: it has the same fields but two, and building a copy of
 * every message cost the receiving worker more than decoding it.
 */
function fromV2(wire: WireChange): ChangeMessage {
  const read = wire as unknown as ChangeMessage & { userIdentity?: unknown; attributes?: unknown };
  readItem(wire.keys);
  if (wire.newImage) readItem(wire.newImage);
  if (wire.attributes) read.attributes = readAttributes(wire.attributes, wire.newImage, wire.keys);
  if (wire.userIdentity !== undefined) {
    delete read.userIdentity;
    read.service = true;
  }
  return read;
}

function fromV1(v1: ChangeMessageV1): ChangeMessage {
  return message(LEGACY_SCHEMA_VERSION, v1, v1.keys, v1.newImage, v1.attributes);
}

function parsed(bytes: Uint8Array, keepEveryName: boolean): { schemaVersion?: unknown } {
  try {
    if (bytes[0] === JSON_OBJECT) return JSON.parse(decoder.decode(bytes)) as { schemaVersion?: unknown };
    return (keepEveryName ? plainObjects(mapUnpackr.unpack(bytes)) : unpackr.unpack(bytes)) as { schemaVersion?: unknown };
  } catch (error) {
    throw new UnreadableChangeMessageError(error instanceof Error ? error.message : String(error));
  }
}

/** Each change of a group, completed with what the group says once, in place. */
function fromV3(group: WireGroup): ReceivedMessage {
  if (!Array.isArray(group.changes) || !Number.isSafeInteger(group.ownCount)) throw new UnreadableChangeMessageError('a group without its changes or its own count');
  const changes = group.changes.map((change) => {
    change.schemaVersion = SCHEMA_VERSION;
    change.region = group.region;
    change.origin = group.origin;
    change.table = group.table;
    return fromV2(change);
  });
  return { changes, ownCount: group.ownCount };
}

function read(bytes: Uint8Array, keepEveryName: boolean): ReceivedMessage {
  const message = parsed(bytes, keepEveryName);
  if (message?.schemaVersion === SCHEMA_VERSION) return fromV3(message as WireGroup);
  if (message?.schemaVersion === SINGLE_CHANGE_SCHEMA_VERSION) return { changes: [fromV2(message as WireChange)] };
  if (message?.schemaVersion === LEGACY_SCHEMA_VERSION) return { changes: [fromV1(message as ChangeMessageV1)] };
  throw new UnreadableChangeMessageError(`schema version ${String(message?.schemaVersion)} (this version reads ${LEGACY_SCHEMA_VERSION} to ${SCHEMA_VERSION})`);
}

/** One published message, in any schema version; UnreadableChangeMessageError for anything else. */
export function decodeMessage(bytes: Uint8Array): ReceivedMessage {
  renamedProto = false;
  const message = read(bytes, false);
  // JSON keeps every name as it is; msgpackr's rename is undone by reading the message again.
  return renamedProto && bytes[0] !== JSON_OBJECT ? read(bytes, true) : message;
}
