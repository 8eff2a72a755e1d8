/** Regions as real OS processes (bin/globaltables.js region), peers of each other, for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { ADMIN_TOKEN_ENV } from '../../src/config/adminToken.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientFor } from './region.js';
import { freePort } from './ports.js';

export interface RegionProcess {
  name: string;
  endpoint: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  child: ChildProcess;
  output(): string;
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  admin<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
}

export interface ProcessCluster {
  regions: RegionProcess[];
  byName(name: string): RegionProcess;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startProcessCluster(names: string[], extraArgs: string[] = []): Promise<ProcessCluster> {
  const root = await mkdtemp(join(tmpdir(), 'globaltables-procs-'));
  const ports = await Promise.all(names.map(() => freePort()));
  const natsPorts = await Promise.all(names.map(() => freePort()));
  const regions: RegionProcess[] = names.map((name, i) => {
    const endpoint = `http://127.0.0.1:${ports[i]}`;
    const client = clientFor(endpoint, name);
    let log = '';
    const args = [
      'bin/globaltables.js', 'region', '--name', name, '--port', String(ports[i]), '--nats-port', String(natsPorts[i]),
      '--data', join(root, name), ...extraArgs,
      ...names.flatMap((peer, j) => (peer === name ? [] : ['--peer', `${peer}=http://127.0.0.1:${ports[j]}`])),
    ];
    const region: RegionProcess = {
      name,
      endpoint,
      client,
      doc: DynamoDBDocumentClient.from(client),
      child: undefined as unknown as ChildProcess,
      output: () => log,
      async start() {
        const mark = log.length;
        // No admin token inherited from the shell: these regions answer their admin calls on loopback.
        const { [ADMIN_TOKEN_ENV]: _token, ...env } = process.env;
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
        region.child = child;
        child.stdout!.on('data', (chunk) => { log = (log + chunk).slice(-20_000); });
        child.stderr!.on('data', (chunk) => { log = (log + chunk).slice(-20_000); });
        const deadline = Date.now() + 30_000;
        while (!log.slice(mark).includes('listening on')) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`region ${name} did not start: ${log}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      async kill(signal: NodeJS.Signals = 'SIGKILL') {
        region.child.kill(signal);
        await exited(region.child);
      },
      async admin<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
        const response = await fetch(`${endpoint}${path}`, {
          method: init.method ?? 'GET',
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
        });
        if (!response.ok) throw new Error(`${name} ${path}: ${response.status} ${await response.text()}`);
        return response.json() as Promise<T>;
      },
    };
    return region;
  });
  const cluster: ProcessCluster = {
    regions,
    byName: (name) => regions.find((r) => r.name === name)!,
    async stop() {
      for (const r of regions) r.client.destroy();
      await Promise.all(regions.map(async (r) => {
        if (!r.child || r.child.exitCode !== null || r.child.signalCode !== null) return;
        r.child.kill('SIGTERM');
        const timer = setTimeout(() => r.child.kill('SIGKILL'), 10_000);
        await exited(r.child);
        clearTimeout(timer);
      }));
      await rm(root, { recursive: true, force: true });
    },
  };
  const started = await Promise.allSettled(regions.map((r) => r.start()));
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    // The regions that did start would otherwise outlive the test.
    await cluster.stop();
    throw failure.reason;
  }
  return cluster;
}
