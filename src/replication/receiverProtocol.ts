/** Messages between a replicator and its receiving worker (receiverWorker.ts). */
import type { Heartbeat } from '../bus/heartbeat.js';

/**
 * A session's credit counters, shared by both threads: batches applied so far (the main thread
 * adds to it), and whether the worker waits for room (then the main thread also sends 'credit').
 * While batches flow, credit costs no message at all.
 */
export const APPLIED = 0;
export const WAITING = 1;
export const newCredits = (): Int32Array => new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));

export type ToReceiver =
  /** Connect to the source's nats-server and read its stream's bounds; ends any earlier session. */
  | { type: 'open'; session: number; natsUrl: string; source: string; batchMax: number; batchesInFlight: number; credits: Int32Array }
  /** Follow the source's own changes from startSeq on. */
  | { type: 'consume'; session: number; startSeq: number }
  /** The worker was waiting for room and a batch has been applied since. */
  | { type: 'credit'; session: number }
  | { type: 'close'; session: number };

export type FromReceiver =
  | { type: 'opened'; session: number; firstSeq: number; lastSeq: number }
  /** `data`: the batch's changes (WireIncoming, incoming.ts) as one msgpack array; `records`: their records, encoded for the store. */
  | { type: 'batch'; session: number; data: Uint8Array; records: Uint8Array; lastSeq: number; pending: number }
  /** The source's heartbeat (bus/heartbeat.ts), heard through the same connection. */
  | { type: 'heartbeat'; session: number; heartbeat: Heartbeat }
  /** The session is over: the connection was lost (no error), or something failed. */
  | { type: 'ended'; session: number; error?: string };
