/**
 * A region's heartbeat: once a second, on the plain NATS subject `heartbeat.<region>` of its own
 * nats-server (no stream keeps it), how far its change log and its stream are, and whether the
 * publisher is stuck. A replicator reads it through the same link as the stream, so a partition
 * cuts both; with it, a peer sees a stuck source as lag instead of `pending: 0`.
 */
import { every, type Clock } from '../clock/clock.js';
import type { Store } from '../storage/store.js';
import type { PublisherStatus } from './changePublisher.js';
import { UnpublishedCounter, type UnpublishedOwnChanges } from './unpublished.js';

export const HEARTBEAT_INTERVAL_MS = 1000;

export const heartbeatSubject = (region: string): string => `heartbeat.${region}`;

export interface Heartbeat extends PublisherStatus {
  region: string;
  /**
   * While the publisher is stuck and until it has caught up: the region's own changes (those peers
   * replicate) committed and not yet published. Null otherwise.
   */
  unpublished: UnpublishedOwnChanges | null;
  /** True time (ms) the heartbeat was sent. */
  sentAtMs: number;
}

export interface HeartbeatOptions {
  region: string;
  store: Store;
  clock: Clock;
  status: () => PublisherStatus;
  send: (subject: string, payload: Uint8Array) => void;
  intervalMs?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Sends a heartbeat now and then every interval; returns a function that stops it. */
export function startHeartbeat(options: HeartbeatOptions): () => void {
  const counter = new UnpublishedCounter(options.region, options.store);
  const subject = heartbeatSubject(options.region);
  const beat = (): void => {
    const status = options.status();
    const heartbeat: Heartbeat = {
      region: options.region,
      ...status,
      unpublished: counter.update(status.publishedLsn, status.stuck !== null) ?? null,
      sentAtMs: options.clock.trueNowMs(),
    };
    try {
      options.send(subject, encoder.encode(JSON.stringify(heartbeat)));
    } catch {
      // The connection is down: the next beat tries again, and peers cannot hear either way.
    }
  };
  beat();
  // On the region's clock: unref'd in a real region (it never keeps the process alive), virtual in the simulator.
  return every(options.clock, options.intervalMs ?? HEARTBEAT_INTERVAL_MS, beat);
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** A heartbeat as received, or undefined for anything that is not one (it is only ever informative). */
export function parseHeartbeat(bytes: Uint8Array): Heartbeat | undefined {
  let value: Partial<Heartbeat>;
  try {
    value = JSON.parse(decoder.decode(bytes)) as Partial<Heartbeat>;
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || typeof value.region !== 'string' || !isCount(value.committedLsn) || !isCount(value.publishedLsn)) return undefined;
  const stuck = value.stuck && typeof value.stuck === 'object' && isCount(value.stuck.lsn) ? value.stuck : null;
  const unpublished = value.unpublished && typeof value.unpublished === 'object' && isCount(value.unpublished.count) ? value.unpublished : null;
  return {
    region: value.region, committedLsn: value.committedLsn, publishedLsn: value.publishedLsn, stuck, unpublished, sentAtMs: Number(value.sentAtMs) || 0,
    ...(isCount(value.ownLsn) ? { ownLsn: value.ownLsn } : {}),
    ...(isCount(value.ownCount) ? { ownCount: value.ownCount } : {}),
  };
}
