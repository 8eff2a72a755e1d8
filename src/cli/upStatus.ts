/** `globaltables up`'s live status: each region's /admin/status, summarised on one line that log lines never garble. */
import { adminHeaders } from '../config/adminToken.js';

/** What GET /admin/status answers. */
export interface RegionStatusWire {
  region: string;
  tables: number;
  items: number;
  /** Absent from regions that predate it, null without a change stream. */
  publisher?: { stuck: { lsn: number; reason: string } | null } | null;
  replication: Array<{
    source: string;
    connected: boolean;
    /** `current` is absent from regions that predate it. */
    lagMs: { p50: number | null; p99: number | null; max: number | null; current?: number };
    pending: number;
    applied: number;
    conflicts: number;
  }>;
}

/** Below this a region's current lag is ordinary replication at work, not worth a word on the line. */
const BEHIND_SHOWN_MS = 1000;

/** One poll of one region: `missing` is a region that predates /admin/status, `down` one that did not answer. */
export type StatusProbe =
  | { kind: 'ok'; status: RegionStatusWire }
  | { kind: 'missing' }
  | { kind: 'down' }
  | { kind: 'exited' };

const UNKNOWN = '—';

export async function probeStatus(endpoint: string, timeoutMs: number, adminToken?: string): Promise<StatusProbe> {
  try {
    // A read that needs no token today; sent anyway, as on every admin call, so it keeps working if reads are guarded.
    const response = await fetch(`${endpoint}/admin/status`, { headers: adminHeaders(adminToken), signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: 'missing' };
    }
    return { kind: 'ok', status: await response.json() as RegionStatusWire };
  } catch {
    return { kind: 'down' };
  }
}

export function formatRegionStatus(name: string, probe: StatusProbe): string {
  if (probe.kind === 'down') return `${name}: down`;
  if (probe.kind === 'exited') return `${name}: exited`;
  if (probe.kind === 'missing') return `${name}: ${UNKNOWN} items · lag p99 ${UNKNOWN} · pending ${UNKNOWN}`;
  const sources = Array.isArray(probe.status.replication) ? probe.status.replication : [];
  // The slowest source is the one a reader notices, so the region's lag is the worst of its sources.
  const lags = sources.map((s) => s.lagMs?.p99).filter((v): v is number => typeof v === 'number');
  const lag = lags.length ? `${Math.round(Math.max(...lags))} ms` : UNKNOWN;
  const pending = sources.reduce((sum, s) => sum + (Number.isFinite(s.pending) ? s.pending : 0), 0);
  const items = Number.isFinite(probe.status.items) ? String(probe.status.items) : UNKNOWN;
  return `${name}: ${items} ${items === '1' ? 'item' : 'items'} · lag p99 ${lag} · pending ${pending}${troubles(probe.status, sources)}`;
}

/** What is wrong, if anything: the region's publisher stuck, or a source it has fallen well behind. */
function troubles(status: RegionStatusWire, sources: RegionStatusWire['replication']): string {
  const stuck = status.publisher?.stuck;
  const own = stuck && Number.isFinite(stuck.lsn) ? ` · publisher STUCK at lsn ${stuck.lsn} (${stuck.reason})` : '';
  const worst = sources.reduce<{ source: string; ms: number } | undefined>((found, s) => {
    const ms = s.lagMs?.current;
    return typeof ms === 'number' && ms >= BEHIND_SHOWN_MS && (!found || ms > found.ms) ? { source: s.source, ms } : found;
  }, undefined);
  const behind = worst ? ` · behind ${worst.source} by ${Math.round(worst.ms / 1000)} s` : '';
  return own + behind;
}

/**
 * Writes log lines and, on a TTY, keeps one status line below them: each log line first erases
 * the status line and then redraws it, so the two never interleave on screen.
 */
export class StatusConsole {
  private statusLine = '';

  constructor(private readonly out: NodeJS.WriteStream = process.stdout, private readonly err: NodeJS.WriteStream = process.stderr) {}

  get isTTY(): boolean {
    return this.out.isTTY === true;
  }

  log(line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.erase();
    (stream === 'stderr' ? this.err : this.out).write(`${line}\n`);
    this.draw();
  }

  /** On a TTY, replaces the status line in place; elsewhere, prints it as a log line. */
  status(line: string): void {
    if (!this.isTTY) {
      this.out.write(`${line}\n`);
      return;
    }
    this.erase();
    // A line wider than the terminal wraps, and `\r` then only erases its last row.
    const columns = this.out.columns || 120; // 0 when the size is unknown
    this.statusLine = line.length >= columns ? `${line.slice(0, Math.max(columns - 2, 0))}…` : line;
    this.draw();
  }

  clearStatus(): void {
    this.erase();
    this.statusLine = '';
  }

  private erase(): void {
    if (this.statusLine) this.out.write('\r\x1b[2K');
  }

  private draw(): void {
    if (this.statusLine) this.out.write(this.statusLine);
  }
}

export interface StatusTarget {
  name: string;
  endpoint: string;
  adminToken?: string;
  exited(): boolean;
}

/**
 * Polls every region and prints one summary: every second on a TTY, every 10 s otherwise so a log
 * file is not flooded. Returns a function that stops it.
 */
export function startStatusLine(targets: StatusTarget[], console: StatusConsole): () => void {
  const intervalMs = console.isTTY ? 1_000 : 10_000;
  let polling = false;
  let stopped = false;
  const poll = async (): Promise<void> => {
    if (polling) return; // a slow region must not pile up requests
    polling = true;
    const probes = await Promise.all(targets.map((t) => (t.exited() ? { kind: 'exited' as const } : probeStatus(t.endpoint, Math.min(intervalMs, 2_000), t.adminToken))));
    polling = false;
    if (!stopped) console.status(targets.map((t, i) => formatRegionStatus(t.name, probes[i])).join('  |  '));
  };
  const timer = setInterval(() => void poll(), intervalMs);
  if (console.isTTY) void poll();
  return () => {
    stopped = true;
    clearInterval(timer);
    console.clearStatus();
  };
}
