/**
 * Change messages written: schema version 3, one msgpack map per group of consecutive changes of
 * one origin and table, each change as schema version 2 wrote it alone (binary values as msgpack
 * bin, long numbers in exponent form, no old image, per-attribute versions as indexes into a table
 * of the distinct versions). Each of these bounds what one item can cost on the wire (wireLimits.ts).
 */
import { Buffer } from 'node:buffer';
import { Packr } from 'msgpackr';
import { setOwn } from '../core/plainData.js';
import type { AttributeValue, Item, Version } from '../core/types.js';
import type { VersionedState } from '../core/lww.js';
import type { ChangeRecord } from '../storage/store.js';
import { SCHEMA_VERSION, SERVICE_IDENTITY, SINGLE_CHANGE_SCHEMA_VERSION, type WireAttributes } from './wire.js';

/** Plain msgpack, no msgpackr records, and small maps with a one-byte header. */
const packr = new Packr({ useRecords: false, variableMapSize: true });

/**
 * Numbers are stored in positional notation, where 1E-130 takes 132 characters for 2 bytes of
 * item size. Below this length the exponent form never saves enough to matter.
 */
const EXPONENT_FORM_MIN_LENGTH = 13;
const MINUS = 0x2d;
const ZERO = 0x30;

type Attributes = NonNullable<VersionedState['attributes']>;

/**
 * A stored number's shorter exact form, for the two shapes that waste length: `0.000…0ddd` is sent
 * as `dddE-<places>`, `ddd000…0` as `dddE+<zeros>` (stored numbers are in canonical positional
 * form, wireDecode.ts turns these back). Anything else is sent as it is.
 */
export function shortNumber(text: string): string {
  if (text.length < EXPONENT_FORM_MIN_LENGTH) return text;
  const sign = text.charCodeAt(0) === MINUS ? '-' : '';
  const body = sign ? text.slice(1) : text;
  let short: string | undefined;
  if (body.startsWith('0.')) {
    let first = 2;
    while (body.charCodeAt(first) === ZERO) first += 1;
    // A canonical fraction ends in a digit other than 0; others are left as they are.
    if (body.charCodeAt(body.length - 1) !== ZERO) short = `${body.slice(first)}E-${body.length - 2}`;
  } else if (!body.includes('.')) {
    let end = body.length;
    while (end > 1 && body.charCodeAt(end - 1) === ZERO) end -= 1;
    short = `${body.slice(0, end)}E+${body.length - end}`;
  }
  return short !== undefined && short.length < body.length ? sign + short : text;
}

const bytesOf = (base64: string): Uint8Array => Buffer.from(base64, 'base64');

/** The value as the wire carries it: the same object when nothing in it changes. */
function wireValue(value: AttributeValue): unknown {
  if ('B' in value) return { B: bytesOf(value.B) };
  if ('BS' in value) return { BS: value.BS.map(bytesOf) };
  if ('N' in value) {
    const short = shortNumber(value.N);
    return short === value.N ? value : { N: short };
  }
  if ('NS' in value) {
    const short = value.NS.map(shortNumber);
    return short.every((n, i) => n === value.NS[i]) ? value : { NS: short };
  }
  if ('L' in value) {
    const list = value.L.map(wireValue);
    return list.every((v, i) => v === value.L[i]) ? value : { L: list };
  }
  if ('M' in value) {
    const map = wireItem(value.M);
    return map === value.M ? value : { M: map };
  }
  return value;
}

/** The item as the wire carries it: the same object when nothing in it changes. */
export function wireItem(item: Item): Item {
  let out: Record<string, unknown> | undefined;
  const names = Object.keys(item);
  for (let i = 0; i < names.length; i += 1) {
    const value = item[names[i]];
    const wire = wireValue(value);
    if (wire === value && !out) continue;
    if (!out) {
      out = {};
      for (let j = 0; j < i; j += 1) setOwn(out, names[j], item[names[j]]);
    }
    setOwn(out, names[i], wire);
  }
  return (out ?? item) as Item;
}

function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => samePlain(x, b[i]));
  const names = Object.keys(a);
  const other = b as Record<string, unknown>;
  return names.length === Object.keys(b).length && names.every((name) => Object.hasOwn(other, name) && samePlain((a as Record<string, unknown>)[name], other[name]));
}

/** Whether `values` are exactly the non-key attributes of the new image (what a receiver rebuilds them from). */
function valuesAreImage(values: Item, newImage: Item | undefined, keys: Item): boolean {
  const names = Object.keys(values);
  if (!newImage) return names.length === 0;
  const imageNames = Object.keys(newImage).filter((name) => !Object.hasOwn(keys, name));
  return names.length === imageNames.length && names.every((name) => Object.hasOwn(newImage, name) && !Object.hasOwn(keys, name) && samePlain(values[name], newImage[name]));
}

function wireAttributes(attributes: Attributes, newImage: Item | undefined, keys: Item): WireAttributes {
  const regions: string[] = [];
  const regionIndex = new Map<string, number>();
  const versionTable: [number, number, number][] = [];
  const tableIndex = new Map<string, number>();
  const indexOf = (version: Version): number => {
    const id = `${version.ts}/${version.counter}/${version.region}`;
    let index = tableIndex.get(id);
    if (index === undefined) {
      let region = regionIndex.get(version.region);
      if (region === undefined) {
        region = regions.push(version.region) - 1;
        regionIndex.set(version.region, region);
      }
      index = versionTable.push([version.ts, version.counter, region]) - 1;
      tableIndex.set(id, index);
    }
    return index;
  };
  const versions: Record<string, number> = {};
  for (const name of Object.keys(attributes.versions)) setOwn(versions, name, indexOf(attributes.versions[name]));
  return {
    regions,
    versionTable,
    versions,
    ...(attributes.floor ? { floor: indexOf(attributes.floor) } : {}),
    ...(attributes.live ? { live: indexOf(attributes.live) } : {}),
    ...(valuesAreImage(attributes.values, newImage, keys) ? {} : { values: wireItem(attributes.values) }),
  };
}

/** One change's fields as a group carries them (the group names the region, origin and table). */
function changeFields(change: ChangeRecord): Record<string, unknown> {
  return {
    eventName: change.eventName,
    keys: wireItem(change.keys),
    ...(change.newImage ? { newImage: wireItem(change.newImage) } : {}),
    version: change.version,
    ...(change.prevVersion ? { prevVersion: change.prevVersion } : {}),
    lsn: change.lsn,
    commitTimeMs: change.commitTimeMs,
    ...(change.service ? { userIdentity: SERVICE_IDENTITY } : {}),
    ...(change.attributes ? { attributes: wireAttributes(change.attributes, change.newImage, change.keys) } : {}),
  };
}

/** One change encoded for a group (a copy: msgpackr reuses its working buffer). */
export function encodeGroupEntry(change: ChangeRecord): Uint8Array {
  return packr.pack(changeFields(change)).slice();
}

const FIXARRAY = 0x90;
const ARRAY16 = 0xdc;
const ARRAY32 = 0xdd;

function arrayHeader(length: number): Uint8Array {
  if (length < 16) return Uint8Array.of(FIXARRAY | length);
  if (length < 0x10000) return Uint8Array.of(ARRAY16, length >> 8, length & 0xff);
  return Uint8Array.of(ARRAY32, length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
}

export interface GroupEnvelope {
  region: string;
  origin: string;
  table: string;
  /** The stream region's own changes up to the group's last one (wire.ts, ReceivedMessage). */
  ownCount: number;
}

/**
 * The message for a group: its envelope, then the entries (encodeGroupEntry) as they are. The
 * envelope is packed with an empty `changes` last, whose one-byte array header is then replaced,
 * so the entries are never encoded twice.
 */
export function encodeGroup(envelope: GroupEnvelope, entries: readonly Uint8Array[]): Uint8Array {
  const head = packr.pack({ schemaVersion: SCHEMA_VERSION, region: envelope.region, origin: envelope.origin, table: envelope.table, ownCount: envelope.ownCount, changes: [] });
  const header = arrayHeader(entries.length);
  let size = head.length - 1 + header.length;
  for (const entry of entries) size += entry.length;
  const out = new Uint8Array(size);
  out.set(head.subarray(0, head.length - 1), 0);
  out.set(header, head.length - 1);
  let at = head.length - 1 + header.length;
  for (const entry of entries) {
    out.set(entry, at);
    at += entry.length;
  }
  return out;
}

/** Schema version 2: one change alone (what streams held before groups; receivers still read it). */
export function encodeSingleChange(region: string, change: ChangeRecord): Uint8Array {
  return packr.pack({ schemaVersion: SINGLE_CHANGE_SCHEMA_VERSION, table: change.table, region, origin: change.origin, ...changeFields(change) });
}
