/**
 * Regions on separate hosts over a real network: each region and its own nats-server run inside
 * the region's namespace, started with the commands docker-compose.yml runs (hostCommands.ts), and
 * find each other only through their addresses on the bridge. This process reaches them there, with
 * the admin token the regions share (they listen on every address, so guarded routes need it).
 */
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ADMIN_TOKEN_ENV } from '../../src/config/adminToken.js';
import { findNatsServer } from '../../src/nats/launcher.js';
import { clientFor } from '../../test/helpers/region.js';
import { kernelFaults, type KernelFaults } from './faults.js';
import { REGION_NAMES, healthcheckCommand, natsCommand, NATS_CONFIG_FILE, NATS_CLIENT_PORT, regionCommand, regionPort, REPOSITORY_ROOT } from './hostCommands.js';
import { createNetwork, isAlive, sweepStaleNetworks, type Network } from './network.js';

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface NetnsRegion {
  name: string;
  /** Its host's address on the bridge. */
  address: string;
  namespace: string;
  port: number;
  endpoint: string;
  natsUrl: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** GET (or the method given) on its admin API, with the admin token; the parsed JSON answer. */
  admin<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** The tail of its log and its nats-server's, for a failure message. */
  logTail(): string;
}

export interface NetnsCluster {
  network: Network;
  regions: NetnsRegion[];
  byName(name: string): NetnsRegion;
  adminToken: string;
  faults: KernelFaults;
  /** Stops every region and nats-server, removes the network and the data. Safe to call twice. */
  stop(): Promise<void>;
}

export class ClusterStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterStartError';
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || exited(child)) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await gone;
  clearTimeout(timer);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean): void => { socket.destroy(); resolve(ok); };
    socket.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1000) });
    return response.ok && (await response.text()).startsWith('healthy:');
  } catch {
    return false;
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, processes: ChildProcess[], log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await check())) {
    const dead = processes.find(exited);
    if (dead) throw new ClusterStartError(`${what}: the process exited (${dead.exitCode ?? dead.signalCode}) first:\n${log()}`);
    if (Date.now() > deadline) throw new ClusterStartError(`${what} did not happen within ${START_TIMEOUT_MS} ms:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const DATA_PREFIX = 'globaltables-netns-';

/** The data of runs whose process is gone: killed before they could remove it. */
function sweepStaleData(): void {
  for (const entry of readdirSync(tmpdir())) {
    const owner = new RegExp(`^${DATA_PREFIX}(\\d+)-`).exec(entry);
    if (owner && !isAlive(Number(owner[1]))) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** Starts the regions, each with its nats-server in its own namespace; leaves nothing behind if a step fails. */
export async function startNetnsCluster(names: string[] = REGION_NAMES): Promise<NetnsCluster> {
  sweepStaleNetworks();
  sweepStaleData();
  const adminToken = randomBytes(24).toString('hex');
  const root = mkdtempSync(join(tmpdir(), `${DATA_PREFIX}${process.pid}-`));
  const natsServers: ChildProcess[] = [];
  const regionProcesses: ChildProcess[] = [];
  const removeRoot = (): void => rmSync(root, { recursive: true, force: true });
  process.once('exit', removeRoot);
  let network: Network;
  try {
    network = await createNetwork(names);
  } catch (error) {
    process.removeListener('exit', removeRoot);
    removeRoot();
    throw error;
  }
  const regions: NetnsRegion[] = [];
  let stopped = false;
  const cluster: NetnsCluster = {
    network,
    regions,
    adminToken,
    byName(name) {
      const found = regions.find((r) => r.name === name);
      if (!found) throw new Error(`no region ${name} in the cluster`);
      return found;
    },
    faults: kernelFaults(network),
    async stop() {
      if (stopped) return;
      stopped = true;
      try { cluster.faults.clearAll(); } catch { /* the network goes anyway */ }
      for (const region of regions) region.client.destroy();
      // Regions first, so none sees its nats-server go and starts reconnecting.
      await Promise.all(regionProcesses.map(stopProcess));
      await Promise.all(natsServers.map(stopProcess));
      network.remove();
      process.removeListener('exit', removeRoot);
      removeRoot();
    },
  };
  try {
    // Each in a process group of its own (detached): a Ctrl-C at the terminal reaches only the caller, which stops them in order.
    await Promise.all(network.hosts.map(async (host) => {
      const dir = join(root, host.name);
      mkdirSync(dir, { recursive: true });
      const natsLog = join(dir, 'nats.log');
      const regionLog = join(dir, 'region.log');
      const logTail = (): string => `--- ${host.name} region log:\n${tail(regionLog)}\n--- its nats-server's:\n${tail(natsLog)}`;
      const output = (file: string): number => openSync(file, 'a');
      const natsOut = output(natsLog);
      const nats = network.spawnIn(host.name, findNatsServer(), natsCommand({ name: host.name, storeDir: join(dir, 'nats'), configFile: join(REPOSITORY_ROOT, NATS_CONFIG_FILE) }), { stdio: ['ignore', natsOut, natsOut], detached: true });
      closeSync(natsOut);
      natsServers.push(nats);
      await waitFor(`${host.name}'s nats-server accepting at ${host.address}`, () => accepts(host.address, NATS_CLIENT_PORT), [nats], logTail);
      const command = regionCommand({
        name: host.name,
        dataDir: join(dir, 'data'),
        natsHost: host.address,
        peers: network.hosts.filter((peer) => peer !== host).map((peer) => ({ name: peer.name, host: peer.address })),
      });
      const regionOut = output(regionLog);
      const region = network.spawnIn(host.name, process.execPath, ['bin/globaltables.js', ...command], {
        cwd: REPOSITORY_ROOT, env: { ...process.env, [ADMIN_TOKEN_ENV]: adminToken }, stdio: ['ignore', regionOut, regionOut], detached: true,
      });
      closeSync(regionOut);
      regionProcesses.push(region);
      const port = regionPort(host.name);
      const endpoint = `http://${host.address}:${port}`;
      await waitFor(`${host.name} healthy at ${endpoint}`, () => healthy(endpoint), [region, nats], logTail);
      // As docker-compose runs it: inside the region's host, at loopback.
      const [program, ...args] = healthcheckCommand(host.name);
      await network.execIn(host.namespace, program === 'node' ? process.execPath : program, args).catch((error: unknown) => {
        throw new ClusterStartError(`${host.name}'s health check failed: ${(error as Error).message}`);
      });
      const client = clientFor(endpoint, host.name);
      regions.push({
        name: host.name, address: host.address, namespace: host.namespace, port, endpoint, natsUrl: `nats://${host.address}:${NATS_CLIENT_PORT}`,
        client, doc: DynamoDBDocumentClient.from(client), logTail,
        async admin<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
          const response = await fetch(`${endpoint}${path}`, {
            method: init.method ?? 'GET',
            headers: { authorization: `Bearer ${adminToken}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
            signal: AbortSignal.timeout(10_000),
          });
          if (!response.ok) throw new Error(`${host.name} ${path}: ${response.status} ${await response.text()}`);
          return response.json() as Promise<T>;
        },
      });
    }));
    regions.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
