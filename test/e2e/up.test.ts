import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { ADMIN_TOKEN_ENV } from '../../src/config/adminToken.js';
import { clientFor } from '../helpers/region.js';
import { freePort } from '../helpers/ports.js';
import { descendants, isAlive } from '../helpers/processes.js';
import { PORT_IN_USE_EXIT_CODE } from '../../src/cli/exitCodes.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

/** A temp dir that, after the test, is removed along with any process still using it. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'globaltables-up-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  cleanups.push(() => { for (const pid of pidsMentioning(dir)) tryKill(pid); });
  return dir;
}

/** The shipped region files, moved to free ports and a temp data dir. */
async function regionFiles(dir: string): Promise<{ files: string[]; ports: number[] }> {
  const files: string[] = [];
  const ports: number[] = [];
  for (const name of REGIONS) {
    // A port freed a moment ago can be handed out again: each region gets one of its own.
    let port = await freePort();
    while (ports.includes(port)) port = await freePort();
    const text = (await readFile(`regions/${name}.yaml`, 'utf8'))
      .replace(/^port: \d+/m, `port: ${port}`)
      .replace(/^dataDir: .*/m, `dataDir: ${join(dir, 'data', name)}`);
    await writeFile(join(dir, `${name}.yaml`), text);
    files.push(join(dir, `${name}.yaml`));
    ports.push(port);
  }
  return { files, ports };
}

function startUp(args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; output: () => string } {
  // The console on a free port unless the test names one: 8000 may be taken on the machine.
  const consoleArgs = args.some((a) => a === '--no-console' || a === '--console-port') ? [] : ['--console-port', '0'];
  const child = spawn(process.execPath, ['bin/globaltables.js', 'up', ...consoleArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  // A failed assertion must not leave regions behind: their process groups die with the test.
  cleanups.push(() => { for (const pid of descendants(child.pid!)) tryKill(pid); child.kill('SIGKILL'); });
  return { child, output: () => output };
}

/** `refresh` runs before each check (a request whose answer the predicate reads); a failed one is retried. */
async function waitFor(predicate: () => boolean, timeoutMs: number, what: () => string, refresh?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh?.().catch(() => undefined);
    if (predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every process below pid, from /proc: regions and the nats-servers they started. */

function tryKill(pid: number): void {
  try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
}

function pidsMentioning(text: string): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => pid !== process.pid && isAlive(pid) && commandOf(pid).includes(text));
}

function processesMentioning(text: string): string[] {
  return pidsMentioning(text).map(commandOf);
}

function commandOf(pid: number): string {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '); } catch { return ''; }
}

describe('globaltables up', () => {
  it('starts every region with its endpoint table, serves the API, and leaves no process behind on Ctrl-C', async () => {
    const dir = await tempDir();
    const { files, ports } = await regionFiles(dir);
    const up = startUp(['--no-status', ...files]);
    await waitFor(() => up.output().includes('aws dynamodb list-tables --endpoint-url'), 25_000, () => `the endpoint table: ${up.output()}`);

    for (const [i, name] of REGIONS.entries()) {
      expect(up.output()).toMatch(new RegExp(`^${name} +http://127\\.0\\.0\\.1:${ports[i]} +${join(dir, 'data', name)} +\\d+$`, 'm'));
      expect(up.output()).toContain(`[${name}] region ${name} listening on`);
      expect(await (await fetch(`http://127.0.0.1:${ports[i]}/`)).text()).toBe(`healthy: dynamodb.${name}.amazonaws.com `);
    }
    const client = clientFor(`http://127.0.0.1:${ports[1]}`, 'eu-west-1');
    cleanups.push(() => client.destroy());
    await client.send(new CreateTableCommand({
      TableName: 'notes', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    await client.send(new PutItemCommand({ TableName: 'notes', Item: { id: { S: '1' }, text: { S: 'hello' } } }));
    expect((await client.send(new GetItemCommand({ TableName: 'notes', Key: { id: { S: '1' } } }))).Item).toEqual({ id: { S: '1' }, text: { S: 'hello' } });

    // Only regions and their nats-servers: tsx's esbuild helper exits on its own, a moment after its parent.
    const children = descendants(up.child.pid!).filter((pid) => /nats-server| region --config /.test(commandOf(pid)));
    expect(children.filter((pid) => commandOf(pid).includes('nats-server'))).toHaveLength(3);
    expect(children).toHaveLength(6);
    const started = Date.now();
    up.child.kill('SIGINT');
    const [code] = await once(up.child, 'exit');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(children.filter(isAlive)).toEqual([]);
    expect(processesMentioning(dir)).toEqual([]);
    for (const name of REGIONS) expect(up.output()).toContain(`[${name}] region ${name}: SIGTERM, closing`);
  }, 45_000);

  it('stops the others and exits 1 when a region cannot start', async () => {
    const dir = await tempDir();
    const { files, ports } = await regionFiles(dir);
    // Holds the port; the other regions' requests to it as a peer are turned away at once.
    const squatter = createServer((socket) => socket.destroy()).listen(ports[2], '127.0.0.1');
    await once(squatter, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
    const up = startUp(['--no-status', ...files]);
    const [code] = await once(up.child, 'exit');
    expect(code).toBe(1);
    expect(up.output()).toContain(`globaltables up: region ap-southeast-2 exited with code ${PORT_IN_USE_EXIT_CODE} before listening; its output:\n  globaltables: port ${ports[2]} on 127.0.0.1 is in use by another program`);
    expect(up.output()).not.toContain('aws dynamodb list-tables');
    // Orphans are re-parented away from `up`, so look for anything still naming the temp dir.
    expect(processesMentioning(dir)).toEqual([]);
  }, 45_000);

  it('reports a broken region file with its file and line, and exits 2 before starting anything', async () => {
    const dir = await tempDir();
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'name: sa-east-1\nport: eighty\ndataDir: .data/sa-east-1\n');
    const up = startUp(['regions/us-east-1.yaml', bad]);
    const [code] = await once(up.child, 'exit');
    expect(code).toBe(2);
    expect(up.output()).toContain(`globaltables: ${bad}:2: port:`);
    expect(up.output()).not.toContain('    at ');
    expect(up.output()).not.toContain('[us-east-1]');
  });

  it('runs a cluster with an admin token: regions require it, pass it to each other, and never show it on a command line', async () => {
    const dir = await tempDir();
    const { files, ports } = await regionFiles(dir);
    const token = `up-token-${process.pid}`;
    const env = { ...process.env };
    delete env[ADMIN_TOKEN_ENV];
    const up = startUp(['--admin-token', token, ...files], env);
    await waitFor(() => up.output().includes('aws dynamodb list-tables --endpoint-url'), 25_000, () => `the endpoint table: ${up.output()}`);
    expect(up.output()).toContain('admin changes need the admin token');

    const admin = (port: number, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${port}/admin/clock`, { method: 'PUT', body: '{"skewMs":0}', headers });
    expect((await admin(ports[0])).status).toBe(401);
    expect((await admin(ports[0], { authorization: `Bearer ${token}` })).status).toBe(200);

    // A global table needs each region's guarded routes called by the others (membership, create, snapshot).
    const client = clientFor(`http://127.0.0.1:${ports[0]}`, 'us-east-1');
    cleanups.push(() => client.destroy());
    await client.send(new CreateTableCommand({
      TableName: 'shared', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    await client.send(new UpdateTableCommand({ TableName: 'shared', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
    const replicaStatus = async () => (await client.send(new DescribeTableCommand({ TableName: 'shared' }))).Table?.Replicas?.[0]?.ReplicaStatus;
    let status: string | undefined;
    await waitFor(() => status === 'ACTIVE', 30_000, () => `the replica in eu-west-1 ACTIVE (is ${status}); output: ${up.output()}`, async () => { status = await replicaStatus(); });
    await client.send(new PutItemCommand({ TableName: 'shared', Item: { id: { S: 'a' } } }));
    const west = clientFor(`http://127.0.0.1:${ports[1]}`, 'eu-west-1');
    cleanups.push(() => west.destroy());
    let item: unknown;
    await waitFor(() => item !== undefined, 15_000, () => 'the item in eu-west-1', async () => { item = (await west.send(new GetItemCommand({ TableName: 'shared', Key: { id: { S: 'a' } } }))).Item; });
    // The status line (every 10 s when not on a terminal) reads every region.
    await waitFor(() => /us-east-1: 1 item · lag p99 .* \|  eu-west-1: 1 item/.test(up.output()), 25_000, () => `a status line: ${up.output()}`);

    const regions = descendants(up.child.pid!).filter((pid) => / region --config |nats-server/.test(commandOf(pid)));
    expect(regions.length).toBe(6);
    expect(regions.filter((pid) => commandOf(pid).includes(token))).toEqual([]);
    up.child.kill('SIGINT');
    const [code] = await once(up.child, 'exit');
    expect(code).toBe(0);
  }, 90_000);

  it('serves the console, which crashes a region and restarts it on its data', async () => {
    const dir = await tempDir();
    const { files, ports } = await regionFiles(dir);
    const up = startUp(['--no-status', ...files]);
    await waitFor(() => /^console: +http:/m.test(up.output()), 25_000, () => `the console's address: ${up.output()}`);
    const consoleUrl = /^console: +(http:\/\/127\.0\.0\.1:\d+)/m.exec(up.output())![1];
    expect(await (await fetch(consoleUrl)).text()).toContain('<div id="app">');
    const post = async (path: string) => {
      const response = await fetch(`${consoleUrl}${path}`, { method: 'POST' });
      return { status: response.status, body: await response.json() as Record<string, unknown> };
    };
    const cluster = await (await fetch(`${consoleUrl}/api/cluster`)).json() as { regions: { name: string; controllable: boolean }[] };
    expect(cluster.regions.map((r) => [r.name, r.controllable])).toEqual(REGIONS.map((name) => [name, true]));

    const west = clientFor(`http://127.0.0.1:${ports[1]}`, 'eu-west-1');
    cleanups.push(() => west.destroy());
    await west.send(new CreateTableCommand({
      TableName: 'kept', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    let active = false;
    await waitFor(() => active, 10_000, () => 'table ACTIVE', async () => { active = (await west.send(new DescribeTableCommand({ TableName: 'kept' }))).Table?.TableStatus === 'ACTIVE'; });
    await west.send(new PutItemCommand({ TableName: 'kept', Item: { id: { S: 'a' } } }));

    expect(await post('/api/regions/eu-west-1/restart')).toEqual({ status: 409, body: { error: 'eu-west-1 is running: crash it first' } });
    expect(await post('/api/regions/eu-west-1/crash')).toEqual({ status: 200, body: { ok: true } });
    expect(up.output()).toContain('[eu-west-1] exited with code 137 (SIGKILL)');
    await expect(fetch(`http://127.0.0.1:${ports[1]}/`)).rejects.toThrow();
    expect(await post('/api/regions/eu-west-1/crash')).toEqual({ status: 409, body: { error: 'eu-west-1 is not running' } });
    // The other regions, and `up`, keep running.
    expect((await fetch(`http://127.0.0.1:${ports[0]}/`)).status).toBe(200);

    expect(await post('/api/regions/eu-west-1/restart')).toEqual({ status: 200, body: { ok: true } });
    expect((await west.send(new GetItemCommand({ TableName: 'kept', Key: { id: { S: 'a' } } }))).Item).toEqual({ id: { S: 'a' } });
    up.child.kill('SIGINT');
    const [code] = await once(up.child, 'exit');
    expect(code).toBe(0);
    expect(processesMentioning(dir)).toEqual([]);
  }, 90_000);

  it('refuses an unknown option with exit code 2', async () => {
    const up = startUp(['--colour']);
    const [code] = await once(up.child, 'exit');
    expect(code).toBe(2);
    expect(up.output()).toMatch(/^globaltables: .*'--colour'/);
  });
});
