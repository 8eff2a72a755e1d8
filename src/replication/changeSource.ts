/**
 * The ChangeSource seam: the consumer side of the bus, as a replicator and a new replica's backfill
 * see it. Real: a worker thread with a JetStream ordered consumer (receiver.ts). Simulated: the
 * source's in-memory stream read through the simulated network (src/sim/changeSource.ts).
 */
import type { Heartbeat } from '../bus/heartbeat.js';
import type { ChangeMessage } from '../bus/wire.js';
import type { IncomingChange } from './incoming.js';

export interface ReceivedBatch {
  changes: IncomingChange[];
  /** Stream sequence of the batch's last message: where the next session starts once it is applied. */
  lastSeq: number;
  /** Messages the source holds beyond this batch (at the server and on the way). */
  pending: number;
  /** The source's own changes up to the batch's last one, as its messages count them (absent before schema version 3). */
  ownCount?: number;
}

export type SessionEvent =
  /** Connected; the source's stream holds firstSeq..lastSeq (first > last when empty). */
  | { type: 'opened'; firstSeq: number; lastSeq: number }
  | { type: 'batch'; batch: ReceivedBatch }
  /** The session is over: the connection was lost (no error), or something failed. */
  | { type: 'ended'; error?: string };

/** One connection to the source's stream: opened, then batches from consume(startSeq) on, in order. */
export interface ChangeSession {
  /** Changes received but not yet taken by next(). */
  readonly queued: number;
  next(): Promise<SessionEvent>;
  /** Follow the source's own changes from startSeq on (after 'opened'). */
  consume(startSeq: number): void;
  /** One batch has been applied: room for another (at most batchesInFlight batches ahead). */
  credit(): void;
  /** Ends the session; a pending or later next() resolves with 'ended'. */
  close(): void;
}

export interface TableRange {
  fromSeq: number;
  toSeq: number;
  afterLsn: number;
}

export interface ChangeSourceOptions {
  /** The region whose stream this reads. */
  source: string;
  batchMax: number;
  batchesInFlight: number;
  /** The source's heartbeats, as they come (not queued behind batches). */
  onHeartbeat?: (heartbeat: Heartbeat) => void;
}

export interface ChangeSource {
  /** Opens a session, ending any earlier one. */
  open(): ChangeSession;
  /**
   * One table's changes in the messages fromSeq <= seq <= toSeq of the source's stream, those with
   * an lsn above afterLsn (a new replica's backfill).
   */
  readTable(table: string, range: TableRange): Promise<ChangeMessage[]>;
  stop(): Promise<void>;
}
