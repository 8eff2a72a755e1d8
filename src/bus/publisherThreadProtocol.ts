/** Messages between a region's main thread (publisherThread.ts) and its publisher's thread (publisherWorker.ts). */
import type { StoreEncryption } from '../storage/storeEncryption.js';
import type { PublisherStatus } from './changePublisher.js';

export interface PublisherWorkerData {
  region: string;
  natsUrl: string;
  dataDir: string;
  durability: 'process' | 'fsync';
  encryption?: StoreEncryption;
  /** The change log's last committed lsn when the thread starts. */
  committedLsn: number;
  /** [0]: 1 while the publisher should yield (a replicator is catching up), set by the main thread. */
  yieldFlag: Int32Array;
}

export type ToPublisherWorker =
  /** Changes were committed up to lsn. */
  | { type: 'commit'; lsn: number }
  /** The meta entries asked for were written. */
  | { type: 'saved'; id: number; error?: string }
  /** From now on, say which changes each acknowledgement covered. */
  | { type: 'observe' }
  | { type: 'stop' };

export type FromPublisherWorker =
  | { type: 'status'; status: PublisherStatus }
  /** Meta entries to write in one transaction (only the main thread writes to the store). */
  | { type: 'save'; id: number; entries: [string, unknown][] }
  | { type: 'log'; message: string }
  | { type: 'acked'; commitTimesMs: number[]; ackedAtMs: number }
  | { type: 'stopped' };
