/**
 * The scenario's regions as real processes, each with its own data dir and nats-server, peers of
 * each other, sharing an admin token made for the run (so the scenario, and no one else on the
 * machine, changes them through their admin API) and, with `auth: sigv4`, a key made for the run
 * that every DynamoDB call is signed with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN_ENV, adminHeaders } from '../config/adminToken.js';
import { distinctFreePorts } from '../nats/launcher.js';
import { PORT_IN_USE_EXIT_CODE } from '../cli/exitCodes.js';
import type { Credentials } from '../config/credentials.js';
import type { ScenarioHeader } from './schema.js';
import type { SigningKey } from './signing.js';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/globaltables.js');

export class RegionStartError extends Error {
  /** The region process's exit code, when it exited (null: it did not answer in time). */
  constructor(region: string, output: string, readonly exitCode: number | null = null) {
    super(`region ${region} did not start:\n${output.split('\n').slice(-15).join('\n')}`);
    this.name = 'RegionStartError';
  }
}

export class ReplicationStartError extends Error {
  constructor(region: string, waitingOn: string[], timeoutMs: number) {
    super(`region ${region} did not connect to ${waitingOn.join(', ')} within ${timeoutMs} ms`);
    this.name = 'ReplicationStartError';
  }
}

/** How long a started cluster may take until every region follows every other's stream. */
const REPLICATION_CONNECT_TIMEOUT_MS = 30_000;

/** Ports are picked free, then bound by the region process: another program can take one in between. */
const START_ATTEMPTS = 3;

type ClusterHeader = Pick<ScenarioHeader, 'regions' | 'granularity' | 'tombstoneRetentionMs'> & Partial<Pick<ScenarioHeader, 'auth'>>;

/** A key for one run, written where its regions read it (only this user may read the file). */
function runCredentials(root: string): { credentials: Credentials; file: string } {
  const credentials = { accessKeyId: `AKID${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64url') };
  const file = join(root, 'credentials');
  writeFileSync(file, `[default]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`, { mode: 0o600 });
  return { credentials, file };
}

export class ScenarioRegion {
  child: ChildProcess | undefined;
  private output = '';
  /** Set when the process ended without the scenario stopping or crashing it: its exit and last lines. */
  unexpectedExit: string | undefined;
  private ending = false;

  /** `signing`: the key its DynamoDB calls are signed with, when it checks signatures. */
  constructor(
    readonly name: string, readonly endpoint: string, readonly dataDir: string, private readonly args: string[], readonly adminToken: string,
    readonly signing?: SigningKey,
  ) {}

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const mark = this.output.length;
    // In the environment, not on the command line, where other users of the machine could read it.
    const env = { ...process.env, [ADMIN_TOKEN_ENV]: this.adminToken };
    const child = spawn(process.execPath, [BIN, 'region', ...this.args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    this.child = child;
    this.ending = false;
    this.unexpectedExit = undefined;
    child.once('exit', (code, signal) => {
      if (this.ending) return;
      const lastLines = this.output.trimEnd().split('\n').slice(-5).join(' | ');
      this.unexpectedExit = `its process exited unasked (${signal ?? `code ${code}`}); last output: ${lastLines}`;
    });
    const append = (chunk: Buffer): void => { this.output = (this.output + chunk.toString()).slice(-50_000); };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    const deadline = Date.now() + timeoutMs;
    while (!this.output.slice(mark).includes('listening on')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new RegionStartError(this.name, this.output.slice(mark), child.exitCode);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Until a region follows a peer's stream, that peer's writes wait for it, and their lag would
   * measure the cluster's start rather than replication: a scenario's first step waits for this.
   */
  async waitFollowing(peers: string[], deadline: number, timeoutMs: number): Promise<void> {
    for (;;) {
      const metrics = await this.admin<{ replication: { source: string; connected: boolean }[] }>('/admin/metrics').catch(() => undefined);
      const connected = new Set(metrics?.replication.filter((p) => p.connected).map((p) => p.source));
      const waitingOn = peers.filter((peer) => !connected.has(peer));
      if (!waitingOn.length) return;
      if (Date.now() > deadline) throw new ReplicationStartError(this.name, waitingOn, timeoutMs);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** SIGKILL, as a crash: the region's nats-server is orphaned, as it would be. */
  async crash(): Promise<void> {
    if (!this.running) return;
    const child = this.child!;
    this.ending = true;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }

  async stop(): Promise<void> {
    if (this.running) {
      const child = this.child!;
      this.ending = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await new Promise((r) => child.once('exit', r));
      clearTimeout(timer);
    }
    this.killOrphanedNats();
  }

  /** A crashed region leaves its nats-server running; its pid file says which one. */
  killOrphanedNats(): void {
    const pidFile = join(this.dataDir, 'nats', 'nats-server.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      if (Number.isInteger(pid) && pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nats-server')) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  async admin<T = unknown>(path: string, method = 'GET', body?: unknown): Promise<T> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers: { ...adminHeaders(this.adminToken), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) throw new Error(`${this.name} ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<T>;
  }
}

export class ScenarioCluster {
  private constructor(readonly regions: ScenarioRegion[], private readonly root: string) {}

  /** Starts every region; when another program took one of the picked ports first, tries again on new ones. */
  static async start(header: ClusterHeader): Promise<ScenarioCluster> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await ScenarioCluster.startOnce(header);
      } catch (error) {
        const portTaken = error instanceof RegionStartError && error.exitCode === PORT_IN_USE_EXIT_CODE;
        if (!portTaken || attempt >= START_ATTEMPTS) throw error;
      }
    }
  }

  private static async startOnce(header: ClusterHeader): Promise<ScenarioCluster> {
    const root = mkdtempSync(join(tmpdir(), 'globaltables-scenario-'));
    const picked = await distinctFreePorts(header.regions.length * 2);
    const ports = picked.slice(0, header.regions.length);
    const natsPorts = picked.slice(header.regions.length);
    const adminToken = randomBytes(24).toString('base64url');
    const auth = header.auth === 'sigv4' ? runCredentials(root) : undefined;
    const regions = header.regions.map((r, i) => new ScenarioRegion(r.name, `http://127.0.0.1:${ports[i]}`, join(root, r.name), [
      '--name', r.name, '--port', String(ports[i]), '--nats-port', String(natsPorts[i]), '--data', join(root, r.name),
      '--clock-mode', r.clock.mode, `--skew-ms=${r.clock.skewMs}`, '--granularity', header.granularity,
      ...(header.tombstoneRetentionMs === undefined ? [] : ['--tombstone-retention-ms', String(header.tombstoneRetentionMs)]),
      ...header.regions.flatMap((peer, j) => (j === i ? [] : ['--peer', `${peer.name}=http://127.0.0.1:${ports[j]}`])),
      ...(auth ? ['--credentials-file', auth.file] : []),
    ], adminToken, auth && { credentials: auth.credentials, region: r.name }));
    const cluster = new ScenarioCluster(regions, root);
    try {
      await Promise.all(regions.map((r) => r.start()));
      const deadline = Date.now() + REPLICATION_CONNECT_TIMEOUT_MS;
      await Promise.all(regions.map((r) => r.waitFollowing(regions.filter((p) => p !== r).map((p) => p.name), deadline, REPLICATION_CONNECT_TIMEOUT_MS)));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  region(name: string): ScenarioRegion {
    return this.regions.find((r) => r.name === name)!;
  }

  running(): ScenarioRegion[] {
    return this.regions.filter((r) => r.running);
  }

  /** Stops every region, kills orphaned nats-servers, removes the data. Safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.regions.map((r) => r.stop()));
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Last resort on exit paths where nothing can be awaited. */
  killNow(): void {
    for (const r of this.regions) {
      if (r.running) r.child!.kill('SIGKILL');
      r.killOrphanedNats();
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}
