/** What a scenario run observed: acknowledged writes, faults, convergence, expectations; the report is built from it. */

export interface AcknowledgedWrite {
  table: string;
  /** The key as plain values, serialized (stable attribute order). */
  key: string;
  region: string;
  kind: 'put' | 'update' | 'delete';
  /** True-time window in which the region stamped the write. */
  sentAtMs: number;
  ackedAtMs: number;
  step: number;
}

export interface ConvergenceEvent {
  step: number;
  /** Time from the most recent heal (or restart) to convergence, when there was one. */
  afterHealMs?: number;
  waitedMs: number;
  converged: boolean;
}

export interface ExpectationResult {
  step: number;
  line?: number;
  what: string;
  ok: boolean;
  detail: string;
}

export interface StepResult {
  index: number;
  kind: string;
  line?: number;
  summary: string;
  ms: number;
  ok: boolean;
  error?: string;
}

export interface DivergenceWindow {
  /** Step that first made the replicas differ (a write or a fault) after they last agreed. */
  fromStep: number;
  toStep: number;
  ms: number;
}

/** What a region watching another region's transaction saw (the transact step's watch). */
export interface TransactionSighting {
  step: number;
  origin: string;
  watchedIn: string;
  /** Items the transaction wrote. */
  items: number;
  /** Snapshots read (TransactGetItems), and how many held some of the items without the others. */
  snapshots: number;
  partialSnapshots: number;
  /** The first snapshot that held part of the transaction: ms after the commit, items there and not yet. */
  firstPartial?: { afterMs: number; applied: string[]; missing: string[] };
  whole: boolean;
  wholeAfterMs?: number;
}

export const FAULT_KINDS = ['partitions', 'heals', 'latencyChanges', 'networkFaults', 'regionCrashes', 'regionRestarts', 'natsCrashes', 'natsRestarts', 'clockChanges'] as const;
export type FaultCounters = Record<(typeof FAULT_KINDS)[number], number>;

export class Recorder {
  readonly writes: AcknowledgedWrite[] = [];
  readonly convergence: ConvergenceEvent[] = [];
  readonly expectations: ExpectationResult[] = [];
  readonly steps: StepResult[] = [];
  readonly divergence: DivergenceWindow[] = [];
  readonly transactions: TransactionSighting[] = [];
  readonly faults: FaultCounters = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as FaultCounters;
  readonly tables = new Set<string>();
  lastHealAtMs: number | undefined;
  private divergedSince: { step: number; atMs: number } | undefined;

  /** nowMs: the targets' true time, so divergence windows are virtual ms in a simulated run. */
  constructor(private readonly nowMs: () => number) {}

  /** A write or a fault may make replicas differ: opens a divergence window unless one is open. */
  mayDiverge(step: number): void {
    this.divergedSince ??= { step, atMs: this.nowMs() };
  }

  converged(step: number): void {
    if (!this.divergedSince) return;
    this.divergence.push({ fromStep: this.divergedSince.step, toStep: step, ms: this.nowMs() - this.divergedSince.atMs });
    this.divergedSince = undefined;
  }

  fault(kind: keyof FaultCounters, step: number): void {
    this.faults[kind] += 1;
    this.mayDiverge(step);
  }

  expectation(result: ExpectationResult): void {
    this.expectations.push(result);
  }

  get passed(): boolean {
    return this.expectations.every((e) => e.ok) && this.steps.every((s) => s.ok);
  }
}

/** A stable text form of a key, so writes to the same key group together whatever the attribute order. */
export function keyText(key: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1))));
}
