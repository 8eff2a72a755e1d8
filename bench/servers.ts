/** Starts the servers under test as child processes and stops them on every exit path. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isRunningNatsServer } from '../src/nats/launcher.js';

export interface Server {
  name: string;
  endpoint: string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** A region killed here cannot stop its nats-server: its pid file names it. */
function killNatsServerOf(dir: string): void {
  const pid = Number(readFileSync(join(dir, 'nats', 'nats-server.pid'), { encoding: 'utf8', flag: 'r' }).trim());
  if (Number.isInteger(pid) && pid > 0 && isRunningNatsServer(pid)) process.kill(pid, 'SIGKILL');
}

function cleanupAll(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) {
    try {
      killNatsServerOf(dir);
    } catch {
      // no embedded nats-server there, or it is gone already
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
process.on('exit', cleanupAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { cleanupAll(); process.exit(130); });

async function waitReady(check: () => Promise<boolean>, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited early with code ${child.exitCode}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not become ready`);
}

async function start(name: string, command: string, args: (port: number, dir: string) => string[], ready: (endpoint: string) => Promise<boolean>, fixedPort?: number): Promise<Server> {
  const port = fixedPort ?? await freePort();
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  dirs.add(dir);
  const child = spawn(command, args(port, dir), { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitReady(() => ready(endpoint), child, name);
  return {
    name,
    endpoint,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
      clearTimeout(timer);
      children.delete(child);
      try {
        // A region that had to be killed left its nats-server running.
        killNatsServerOf(dir);
      } catch {
        // no embedded nats-server there, or it stopped with its region
      }
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
}

const healthy = async (endpoint: string): Promise<boolean> => (await (await fetch(endpoint)).text()).startsWith('healthy:');

/** With BENCH_PROFILE_DIR set, every region writes a V8 CPU profile of its threads there when it stops. */
const regionNodeArgs = (): string[] => (process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []);

/** One region; with the change stream on it starts its own nats-server and publishes every change. */
export function startRegionServer(changeStream: boolean): Promise<Server> {
  const name = changeStream ? 'globaltables-stream-on' : 'globaltables-stream-off';
  return start(name, process.execPath, (port, dir) => [
    ...regionNodeArgs(), 'bin/globaltables.js', 'region', '--name', 'us-east-1', '--port', String(port), '--data', dir,
    ...(changeStream ? [] : ['--no-change-stream']),
  ], healthy);
}

/** dynalite keeps its tables in memory unless given a --path (LevelDB on disk). */
export function startDynaliteServer(onDisk: boolean): Promise<Server> {
  const name = onDisk ? 'dynalite-disk' : 'dynalite-memory';
  return start(name, process.execPath, (port, dir) => [
    'node_modules/dynalite/cli.js', '--port', String(port), ...(onDisk ? ['--path', dir] : []),
    '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0',
  ], healthy);
}

/** Regions as separate processes, each with its own embedded nats-server, peers of each other. */
export async function startRegionCluster(names: string[]): Promise<Server[]> {
  const ports = await Promise.all(names.map(() => freePort()));
  return Promise.all(names.map((name, i) => start(name, process.execPath, (port, dir) => [
    ...regionNodeArgs(), 'bin/globaltables.js', 'region', '--name', name, '--port', String(port), '--data', dir,
    ...names.flatMap((peer, j) => (j === i ? [] : ['--peer', `${peer}=http://127.0.0.1:${ports[j]}`])),
  ], healthy, ports[i])));
}
