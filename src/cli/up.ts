/** `globaltables up`: every region file as its own process, each told where its peers are, until Ctrl-C. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ADMIN_TOKEN_ENV } from '../config/adminToken.js';
import { ConfigError, endpointFor, loadRegionConfig, type RegionConfig } from '../config/regionConfig.js';
import { adminTokenOption, UsageError } from './region.js';
import { StatusConsole, startStatusLine } from './upStatus.js';

// Resolved from this file, not the cwd, so `up` works wherever it is run.
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(PACKAGE_ROOT, 'bin', 'globaltables.js');
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const ORPHAN_GRACE_MS = 5_000;
const KEPT_OUTPUT_LINES = 40;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

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

function parse(argv: string[]): { files: string[]; status: boolean; dataRoot?: string; adminToken?: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'no-status': { type: 'boolean', default: false }, 'data-root': { type: 'string' }, 'admin-token': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (values['data-root'] === '') throw new UsageError('--data-root must name a directory');
  return { files: positionals, status: !values['no-status'], dataRoot: values['data-root'], adminToken: values['admin-token'] };
}

/**
 * The cluster's admin token: the flag, else GLOBALTABLES_ADMIN_TOKEN, else the one the region files
 * name. Regions send theirs to each other, so files that name different tokens are refused.
 */
export function clusterAdminToken(flag: string | undefined, configs: RegionConfig[], files: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  // The flag or the environment overrides every file, as it does for one region.
  if (flag !== undefined || env[ADMIN_TOKEN_ENV] !== undefined) return adminTokenOption(flag, undefined, env);
  const differs = configs.findIndex((config) => config.adminToken !== configs[0].adminToken);
  if (differs >= 0) throw new UsageError(`${files[0]} and ${files[differs]} name different admin tokens (or only one names one): the regions of a cluster share one`);
  return adminTokenOption(undefined, configs[0]?.adminToken, env);
}

/** regions/*.yaml of the cwd if it has one, else the regions shipped with the package. */
function defaultFiles(): string[] {
  const dir = existsSync('regions') ? 'regions' : join(PACKAGE_ROOT, 'regions');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f)) : [];
  if (!files.length) throw new UsageError(`no region files in ${dir}/ (name them: globaltables up regions/a.yaml regions/b.yaml)`);
  return files;
}

export function loadConfigs(files: string[], dataRoot?: string): RegionConfig[] {
  const configs = files.map((file) => {
    try {
      const config = loadRegionConfig(file);
      return dataRoot === undefined ? config : { ...config, dataDir: join(dataRoot, config.name) };
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
  });
  configs.forEach((config, i) => {
    // Peers are told each other's port up front, so a region cannot pick a free one at start.
    if (config.port === 0) throw new UsageError(`${files[i]}: port: up needs a fixed port for every region`);
    const twin = configs.findIndex((other, j) => j < i && (other.name === config.name || other.port === config.port));
    if (twin >= 0) throw new UsageError(`${files[i]} and ${files[twin]} name the same region or port (${config.name}, ${config.port})`);
  });
  return configs;
}

/** One region's child process: its prefixed output, its readiness and its exit. */
class RegionProcess {
  readonly name: string;
  readonly endpoint: string;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly output: string[] = [];

  constructor(readonly config: RegionConfig, file: string, allConfigs: RegionConfig[], out: StatusConsole, adminToken: string | undefined) {
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

function describeExit({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }): string {
  if (signal) return `exited with code ${128 + (constants.signals[signal] ?? 0)} (${signal})`;
  return `exited with code ${code ?? 'unknown'}`;
}

function endpointTable(regions: RegionProcess[]): string {
  const rows = [['region', 'DynamoDB endpoint', 'data', 'pid'], ...regions.map((r) => [r.name, r.endpoint, r.config.dataDir, String(r.child.pid)])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('   ').trimEnd());
  return [...lines, '', `try:  aws dynamodb list-tables --endpoint-url ${regions[0].endpoint}`, 'Ctrl-C stops every region.'].join('\n');
}

/** SIGTERM every region, SIGKILL whatever is left after the grace period, then clear crashed regions' nats-servers. */
async function stopAll(regions: RegionProcess[], out: StatusConsole): Promise<void> {
  regions.forEach((r) => r.terminate());
  const timer = setTimeout(() => {
    out.log(`globaltables up: still running after ${STOP_GRACE_MS / 1000} s: ${regions.filter((r) => r.alive).map((r) => r.name).join(', ')}; killing`);
    regions.forEach((r) => r.kill());
  }, STOP_GRACE_MS);
  await Promise.all(regions.map((r) => r.exit));
  clearTimeout(timer);
  await Promise.all(regions.map((r) => r.reapOrphanNats().catch(() => undefined)));
}

/** Runs the regions until a signal, a failed start or the exit of every region; resolves to the exit code. */
function supervise(regions: RegionProcess[], out: StatusConsole, showStatus: boolean, adminToken: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let stopStatus = (): void => undefined;
    const stop = (reason: string, code: number): void => {
      if (stopping) return;
      stopping = true;
      stopStatus();
      const alive = regions.filter((r) => r.alive).length;
      out.log(`globaltables up: ${reason}${alive ? `, stopping ${alive} region(s)` : ''}`);
      void stopAll(regions, out).then(() => {
        SIGNALS.forEach((s) => process.off(s, onSignal));
        resolve(code);
      });
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!stopping) return stop(signal, 0);
      out.log(`globaltables up: ${signal} again, killing every region now`);
      regions.forEach((r) => r.kill());
    };
    SIGNALS.forEach((s) => process.on(s, onSignal));
    Promise.all(regions.map((r) => r.ready)).then(() => {
      if (stopping) return;
      out.log(endpointTable(regions));
      if (showStatus) stopStatus = startStatusLine(regions.map((r) => ({ name: r.name, endpoint: r.endpoint, adminToken, exited: () => !r.alive })), out);
      for (const region of regions) {
        // A region that dies may be a crash the user is testing: the others keep running.
        void region.exit.then((exit) => {
          if (stopping) return;
          out.log(`[${region.name}] ${describeExit(exit)}`, 'stderr');
          if (regions.every((r) => !r.alive)) stop('every region has exited', 1);
        });
      }
    }, (error: Error) => {
      if (stopping) return; // a region stopped by Ctrl-C during start-up is no failure
      out.log(`globaltables up: ${error.message}`, 'stderr');
      stop('a region failed to start', 1);
    });
  });
}

export async function runUpCommand(argv: string[]): Promise<void> {
  const options = parse(argv);
  const files = options.files.length ? options.files : defaultFiles();
  const configs = loadConfigs(files, options.dataRoot);
  const adminToken = clusterAdminToken(options.adminToken, configs, files);
  const out = new StatusConsole();
  const regions = configs.map((config, i) => new RegionProcess(config, files[i], configs, out, adminToken));
  // Should `up` itself fail, its children must not outlive it.
  const killAll = (): void => regions.forEach((r) => r.kill());
  process.on('exit', killAll);
  const code = await supervise(regions, out, options.status, adminToken);
  process.off('exit', killAll);
  process.exitCode = code;
}
