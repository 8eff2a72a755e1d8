/** Starts an embedded nats-server with JetStream for one region, and stops it with the region. */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { NATS_MAX_PAYLOAD_BYTES } from '../bus/wireLimits.js';

export class NatsServerNotFoundError extends Error {
  constructor() {
    super('nats-server was not found (set NATS_SERVER_BIN, or install it: apt-get install nats-server / brew install nats-server)');
    this.name = 'NatsServerNotFoundError';
  }
}

export class NatsServerStartError extends Error {
  /** nats-server's own log is the only place that says a port was taken. */
  readonly portInUse: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NatsServerStartError';
    this.portInUse = message.includes('address already in use');
  }
}

export interface NatsServerOptions {
  /** JetStream store directory (created if missing). */
  storeDir: string;
  /** Client port; 0 or omitted picks a free one. */
  port?: number;
  /** Monitoring port; 0 or omitted picks a free one. */
  monitorPort?: number;
  host?: string;
  name?: string;
  startTimeoutMs?: number;
  /** The largest message the server accepts (default NATS_MAX_PAYLOAD_BYTES: what the largest valid item's change needs). */
  maxPayloadBytes?: number;
  /** Encrypts the JetStream store (ChaCha20-Poly1305) with this key; a store written with another key cannot be read. */
  jetstreamKey?: string;
}

export interface RunningNatsServer {
  url: string;
  port: number;
  monitorPort: number;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within graceMs. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: a crash, for fault tests. */
  kill(): Promise<void>;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** NATS_SERVER_BIN, then PATH, then /usr/sbin (where Debian installs it). */
export function findNatsServer(
  env: NodeJS.ProcessEnv = process.env,
  fallbackDirs: string[] = ['/usr/sbin', '/usr/local/sbin'],
): string {
  const fromEnv = env.NATS_SERVER_BIN;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  const dirs = [...(env.PATH ?? '').split(delimiter), ...fallbackDirs];
  for (const dir of dirs) {
    if (dir && isExecutable(join(dir, 'nats-server'))) return join(dir, 'nats-server');
  }
  throw new NatsServerNotFoundError();
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `count` free ports, all different: each is closed before the next is picked, so the kernel may hand one out twice. */
export async function distinctFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort(host));
  return [...ports];
}

async function waitHealthy(monitorUrl: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new NatsServerStartError(`nats-server exited with code ${child.exitCode}: ${output()}`);
    try {
      const response = await fetch(`${monitorUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new NatsServerStartError(`nats-server did not become healthy within ${timeoutMs} ms: ${output()}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Whether the pid is a live nats-server (a pid file may name a process that is gone, or a reused pid). */
export function isRunningNatsServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nats-server');
  } catch {
    return false;
  }
}

/**
 * A region killed with SIGKILL cannot stop its nats-server, which then keeps the store locked.
 * The pid file in the store dir names that orphan; it is killed before a new server starts.
 */
async function killOrphan(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isRunningNatsServer(pid)) return;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && isRunningNatsServer(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The variable the config file names for the JetStream key (quoted, or nats-server may read it as a number). */
const JETSTREAM_KEY_ENV = 'GLOBALTABLES_JETSTREAM_KEY';

/**
 * The server's config file. The JetStream key is not written in it, beside the store it protects:
 * the file names a variable of the server's environment, readable only by its user, as the file is.
 */
function serverConfig(options: NatsServerOptions): string {
  const lines = [`max_payload: ${options.maxPayloadBytes ?? NATS_MAX_PAYLOAD_BYTES}`];
  if (options.jetstreamKey !== undefined) lines.push(`jetstream {\n  key: $${JETSTREAM_KEY_ENV}\n  cipher: chachapoly\n}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Starts the server. A port picked here may be taken by someone else before nats-server binds it,
 * so a server on picked ports that fails to start is tried again on fresh ones.
 */
export async function startNatsServer(options: NatsServerOptions): Promise<RunningNatsServer> {
  const picked = !options.port || !options.monitorPort;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!picked || attempt >= 4 || !(error instanceof NatsServerStartError)) throw error;
    }
  }
}

async function startOnce(options: NatsServerOptions): Promise<RunningNatsServer> {
  const binary = findNatsServer();
  const pidFile = join(options.storeDir, 'nats-server.pid');
  await killOrphan(pidFile);
  const host = options.host ?? '127.0.0.1';
  const port = options.port || await freePort(host);
  const monitorPort = options.monitorPort || await freePort(host);
  mkdirSync(options.storeDir, { recursive: true });
  // nats-server takes max_payload and JetStream encryption from a config file only, not from flags.
  const configFile = join(options.storeDir, 'nats-server.conf');
  writeFileSync(configFile, serverConfig(options), { mode: 0o600 });
  chmodSync(configFile, 0o600);
  const args = ['-c', configFile, '-a', host, '-p', String(port), '-m', String(monitorPort), '-js', '-sd', options.storeDir, '-P', pidFile];
  if (options.name) args.push('-n', options.name);
  const env = options.jetstreamKey === undefined ? process.env : { ...process.env, [JETSTREAM_KEY_ENV]: JSON.stringify(options.jetstreamKey) };
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  try {
    await waitHealthy(`http://${host}:${monitorPort}`, child, options.startTimeoutMs ?? 10_000, () => log);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url: `nats://${host}:${port}`,
    port,
    monitorPort,
    process: child,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited(child);
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}
