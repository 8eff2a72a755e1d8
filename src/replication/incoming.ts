/**
 * A replicated change as this region applies it: the writer's state for one key. The receiving
 * worker turns each change message (read by bus/wireDecode.ts) into the records the region stores when the change wins
 * outright (its item record and its change record's tail), already encoded; the region's thread
 * decodes the state from those bytes and writes them as they are (storage/preEncoded.ts).
 */
import type { VersionedState } from '../core/lww.js';
import type { Item } from '../core/types.js';
import type { ChangeMessage } from '../bus/wire.js';
import { decodeRecord, RecordArena } from '../storage/preEncoded.js';

export interface EncodedIncoming {
  /** The item record: the state as it is. */
  state: Uint8Array;
  /** The change record's tail (the fields its origin decided: storage/preEncoded.ts), as the message has them. */
  tail: Uint8Array;
}

export interface IncomingChange {
  /** The change's lsn in its source's log (what a replicator's checkpoint counts in). */
  lsn: number;
  table: string;
  keys: Item;
  state: VersionedState;
  encoded?: EncodedIncoming;
}

/**
 * What crosses from the worker for one change: its records are [start, split) and [split, end) of
 * the batch's records, where start is the end of the change before (0 for the first).
 */
export interface WireIncoming {
  lsn: number;
  table: string;
  keys: Item;
  split: number;
  end: number;
}

/** The state's fields but its item: what stateOf(message) holds besides message.newImage. */
function stateFieldsOf(message: ChangeMessage): Omit<VersionedState, 'item'> {
  return {
    version: message.version,
    ...(message.prevVersion ? { prevVersion: message.prevVersion } : {}),
    origin: message.origin,
    writtenAtMs: message.commitTimeMs,
    ...(message.attributes ? { attributes: message.attributes } : {}),
  };
}

/** The writer's state as a change message carries it. */
export function stateOf(message: ChangeMessage): VersionedState {
  return { item: message.newImage ?? null, ...stateFieldsOf(message) };
}

export function incomingOf(message: ChangeMessage): IncomingChange {
  return { lsn: message.lsn, table: message.table, keys: message.keys, state: stateOf(message) };
}

/** On the worker: a batch of messages, with every change's records encoded into one buffer. */
export function encodeBatch(messages: ChangeMessage[]): { changes: WireIncoming[]; records: Uint8Array } {
  const arena = new RecordArena(messages.length * 512);
  const changes = messages.map((message): WireIncoming => {
    // The state's fields but its item, and the tail's but its new image: the item is encoded once, for both.
    const item = message.newImage;
    const rest = stateFieldsOf(message);
    const tail = {
      table: message.table,
      keys: message.keys,
      version: message.version,
      origin: message.origin,
      ...(message.attributes ? { attributes: message.attributes } : {}),
    };
    if (!item) {
      const split = arena.append({ item: null, ...rest });
      return { lsn: message.lsn, table: message.table, keys: message.keys, split, end: arena.append(tail) };
    }
    arena.share(item);
    const split = arena.append(rest, 'item');
    return { lsn: message.lsn, table: message.table, keys: message.keys, split, end: arena.append(tail, 'newImage') };
  });
  return { changes, records: arena.take() };
}

/** On the region's thread: each change's state, read back from its encoded record. */
export function decodeBatch(changes: WireIncoming[], records: Uint8Array): IncomingChange[] {
  let start = 0;
  return changes.map(({ lsn, table, keys, split, end }) => {
    const encoded = { state: records.subarray(start, split), tail: records.subarray(split, end) };
    start = end;
    return { lsn, table, keys, state: decodeRecord(encoded.state) as VersionedState, encoded };
  });
}
