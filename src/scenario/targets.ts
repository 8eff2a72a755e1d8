/**
 * What a scenario plays against: its regions, and the time they live in. Real targets are processes on
 * the wall clock; simulated ones share one process on virtual time. Steps, the recorder and the report
 * reach regions and time only through this, so one runner plays both.
 */
import type { FeedEvent } from '../region/feedEvents.js';
import type { Scenario } from './schema.js';

export interface CallOptions {
  /** Give up after this long (true time), as a client would. */
  timeoutMs?: number;
  /** Stamp the write's version with exactly this timestamp (ms), to stage a conflict. */
  timestampMs?: number;
}

/** Probabilities per message on one link. */
export interface MessageFaults {
  lossRate: number;
  duplicateRate: number;
  reorderRate: number;
}

export interface ScenarioRegionHandle {
  readonly name: string;
  readonly running: boolean;
  /** One DynamoDB API call; resolves with the body, throws DynamoCallError / RegionUnreachableError. */
  call<T = Record<string, unknown>>(operation: string, body: unknown, options?: CallOptions): Promise<T>;
  /** One admin API call (path with its query string); resolves with the JSON body. */
  admin<T = unknown>(path: string, method?: string, body?: unknown): Promise<T>;
  /** Kills the region at once, as a crash: nothing is flushed or said goodbye to. */
  crash(): Promise<void>;
  /** Starts the region (again) on its data. */
  start(): Promise<void>;
}

export interface ScenarioTargets {
  readonly mode: 'real' | 'sim';
  readonly regions: ScenarioRegionHandle[];
  region(name: string): ScenarioRegionHandle;
  running(): ScenarioRegionHandle[];
  /** True time in ms (wall clock in real mode, virtual in sim). */
  nowMs(): number;
  sleep(ms: number): Promise<void>;
  /** Runs the whole scenario's work (real: just awaits it; sim: drives the simulation until it settles). */
  drive<T>(work: () => Promise<T>): Promise<T>;
  /** Hash of everything delivered / applied / read (sim only). */
  traceHash?(): string;
  /**
   * Message-level faults on the link carrying `from`'s changes to `to` (sim only: absent in real
   * mode, where a TCP link cannot lose, duplicate or reorder).
   */
  setLinkFaults?(from: string, to: string, faults: MessageFaults): void;
  /** Feeds a read into the trace (sim only); steps call it for every read they observe. */
  traceRead?(what: string): void;
  /**
   * Every region's event feed for the rest of the run, a restarted region's too; resolves once each
   * running region's feed is being followed.
   */
  followFeeds?(listener: (event: FeedEvent) => void): Promise<FeedFollowing>;
  /** Stops every region and removes what they stored. Safe to call twice. */
  stop(): Promise<void>;
  /** Last resort on exit paths where nothing can be awaited. */
  killNow(): void;
}

export interface FeedFollowing {
  /** Delivers now what the feeds hold back for their next beat (sim only: a real feed is read over HTTP). */
  flush?(): void;
  /** Stops following, once what happened before the call has arrived. */
  stop(): Promise<void>;
}

/** A step named a region the scenario does not declare. */
export class UnknownRegionError extends Error {
  constructor(region: string) {
    super(`no region named ${region} in this scenario`);
    this.name = 'UnknownRegionError';
  }
}

/** Starts the targets a scenario runs against; the seed is the run's (the scenario's, or the one given). */
export type StartTargets = (scenario: Scenario, seed: number) => Promise<ScenarioTargets>;
