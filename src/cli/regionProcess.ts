/** One region of `up` as a child process: its prefixed output, its readiness, its exit, and its crash. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN_ENV } from '../config/adminToken.js';
import { endpointFor, type RegionConfig } from '../config/regionConfig.js';
import type { StatusConsole } from './upStatus.js';

// Resolved from this file, not the cwd, so `up` works wherever it is run.
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(PACKAGE_ROOT, 'bin', 'globaltables.js');
const START_TIMEOUT_MS = 30_000;
const ORPHAN_GRACE_MS = 5_000;
const KEPT_OUTPUT_LINES = 40;

/** A region that exited or stayed silent before it was listening. */
export class RegionStartError extends Error {
  constructor(readonly region: string, reason: string, output: string[]) {
    super(`region ${region} ${reason}${output.length ? `; its output:\n${output.map((l) => `  ${l}`).join('\n')}` : ''}`);
    this.name = 'RegionStartError';
  }
}

export const endpointOf = (config: RegionConfig): string => endpointFor(config.host, config.port);

/** The `globaltables region` arguments for one region: its file, its data dir and one --peer per other region. */
export function regionArgs(config: RegionConfig, file: string, allConfigs: RegionConfig[]): string[] {
  const peers = allConfigs.filter((other) => other.name !== config.name).flatMap((other) => ['--peer', `${other.name}=${endpointOf(other)}`]);
  return ['region', '--config', file, '--data', config.dataDir, ...peers];
}

export type ProcessExit = { code: number | null; signal: NodeJS.Signals | null };

/** One region's child process: its prefixed output, its readiness and its exit. */
export class RegionProcess {
  readonly name: string;
  readonly endpoint: string;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exit: Promise<ProcessExit>;
  private readonly output: string[] = [];

  constructor(readonly config: RegionConfig, private readonly file: string, private readonly allConfigs: RegionConfig[], private readonly out: StatusConsole, private readonly adminToken: string | undefined) {
    this.name = config.name;
    this.endpoint = endpointOf(config);
    // Its own process group: Ctrl-C reaches only `up`, which then stops each region cleanly, and a
    // SIGKILL of the group also takes the region's nats-server with it. The token goes in the
    // environment, where other users cannot read it (a command line they can).
    const env = adminToken === undefined ? process.env : { ...process.env, [ADMIN_TOKEN_ENV]: adminToken };
    this.child = spawn(process.execPath, [BIN, ...regionArgs(config, file, allConfigs)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
    let listening!: () => void;
    const heard = new Promise<void>((resolve) => { listening = resolve; });
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: this.child[stream]! }).on('line', (line) => {
        this.output.push(line);
        if (this.output.length > KEPT_OUTPUT_LINES) this.output.shift();
        out.log(`[${this.name}] ${line}`, stream);
        if (stream === 'stdout' && line.includes('listening on')) listening();
      });
    }
    this.exit = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', () => resolve({ code: null, signal: null }));
    });
    this.ready = this.waitReady(heard);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  private async waitReady(heard: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS); });
    const exited = this.exit.then((e) => `${describeExit(e)} before listening`);
    const failure = await Promise.race([heard.then(() => undefined), timeout, exited]);
    clearTimeout(timer);
    if (failure !== undefined) throw new RegionStartError(this.name, failure, this.output);
  }

  /** The same region started again, on the same data, with the same peers. */
  restarted(): RegionProcess {
    return new RegionProcess(this.config, this.file, this.allConfigs, this.out, this.adminToken);
  }

  terminate(): void {
    if (this.alive) this.child.kill('SIGTERM');
  }

  kill(): void {
    // Only while the child is unreaped: its pid (and so its group id) cannot belong to anyone else.
    if (!this.alive) return;
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  /** A region that crashed could not stop its embedded nats-server; its pid file names it. */
  async reapOrphanNats(): Promise<void> {
    const { code } = await this.exit;
    if (code === 0 || 'url' in this.config.nats) return;
    const pid = Number(readFileSync(join(this.config.dataDir, 'nats', 'nats-server.pid'), 'utf8').trim());
    if (!isNatsServer(pid)) return;
    process.kill(pid, 'SIGTERM');
    for (let waitedMs = 0; waitedMs < ORPHAN_GRACE_MS && isNatsServer(pid); waitedMs += 50) await new Promise((r) => setTimeout(r, 50));
    if (isNatsServer(pid)) process.kill(pid, 'SIGKILL');
  }
}

function isNatsServer(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    // /proc tells a nats-server from an unrelated process that reused the pid; without it, liveness must do.
    if (existsSync('/proc/self')) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nats-server');
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function describeExit({ code, signal }: ProcessExit): string {
  if (signal) return `exited with code ${128 + (constants.signals[signal] ?? 0)} (${signal})`;
  return `exited with code ${code ?? 'unknown'}`;
}

