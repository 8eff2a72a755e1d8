/**
 * `npm run bench -- replication`: three region processes (each with its own nats-server).
 * Phase 1, steady state: PutItem at a fixed rate spread over the regions; ReplicationLatency per
 * pair (commit at the origin → applied in the target, true time). Phase 2, catch-up: one region's
 * incoming links stalled while another takes a burst of writes; after heal, the time until that
 * region has everything, and its apply rate.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PairStatus } from '../src/replication/metrics.js';
import { startRegionCluster, type Server } from './servers.js';
import { ADMIN_TOKEN_ENV, adminHeaders } from '../src/config/adminToken.js';
import { machine, median, numberOption, round2 } from './stats.js';

const run = promisify(execFile);
const NAMES = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const TABLE = 'bench';

async function admin<T>(server: Server, path: string, method = 'GET', body?: unknown): Promise<T> {
  // The regions inherit this environment, and with it any admin token it names.
  const headers = { ...adminHeaders(process.env[ADMIN_TOKEN_ENV]), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const response = await fetch(`${server.endpoint}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!response.ok) throw new Error(`${server.name} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<T>;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    // Often enough to time a catch-up of a few seconds; a status request costs the region little.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const client = (server: Server): DynamoDBClient => new DynamoDBClient({ endpoint: server.endpoint, region: server.name, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });

async function createGlobalTable(regions: Server[]): Promise<void> {
  const first = client(regions[0]);
  await first.send(new CreateTableCommand({
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  for (const other of regions.slice(1)) {
    await first.send(new UpdateTableCommand({ TableName: TABLE, ReplicaUpdates: [{ Create: { RegionName: other.name } }] }));
    await until(async () => (await first.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.Replicas?.find((r) => r.RegionName === other.name)?.ReplicaStatus === 'ACTIVE', 60_000, `replica ${other.name}`);
  }
  first.destroy();
}

/** Writes `count` new items to one region with BatchWriteItem, `concurrency` batches in flight. */
async function burst(server: Server, count: number, prefix: string, concurrency = 16): Promise<number> {
  const doc = DynamoDBDocumentClient.from(client(server));
  const startMs = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const from = next;
      next += 25;
      const items = Array.from({ length: Math.min(25, count - from) }, (_, i) => ({ PutRequest: { Item: { pk: `${prefix}-${from + i}`, v: 'x'.repeat(100) } } }));
      let unprocessed: unknown = { [TABLE]: items };
      while (unprocessed && Object.keys(unprocessed as object).length) {
        const result = await doc.send(new BatchWriteCommand({ RequestItems: unprocessed as never }));
        unprocessed = result.UnprocessedItems;
      }
    }
  }));
  doc.destroy();
  return Date.now() - startMs;
}

interface CatchUpRound {
  burstMs: number;
  convergeMs: number;
  reconnectMs: number;
  applyMs: number;
  applyPerSecond: number;
}

/**
 * One catch-up: stall the target's links, write a burst to the source, wait until the bystander
 * (which replicates the burst as it happens) has it all, so the catch-up is measured alone on the
 * shared cores; heal, and time the target until it has every item.
 */
async function catchUp(source: Server, bystander: Server, target: Server, backlog: number, prefix: string): Promise<CatchUpRound> {
  for (const other of [source, bystander]) await admin(target, `/admin/links/${other.name}`, 'PUT', { stalled: true });
  const before = (await admin<{ items: number }>(target, '/admin/status')).items;
  const burstMs = await burst(source, backlog, prefix);
  const sourceItems = (await admin<{ items: number }>(source, '/admin/status')).items;
  await until(async () => (await admin<{ items: number }>(bystander, '/admin/status')).items >= sourceItems, 600_000, `${bystander.name} caught up`);
  const healedAt = Date.now();
  await admin(target, '/admin/links/heal', 'POST');
  // The apply rate runs from the first change applied after the heal (the replicator first has to
  // reconnect through the healed link) to the last.
  let firstAppliedAt: number | undefined;
  await until(async () => {
    const status = await admin<{ items: number }>(target, '/admin/status');
    if (firstAppliedAt === undefined && status.items > before) firstAppliedAt = Date.now();
    return status.items >= before + backlog;
  }, 600_000, 'catch-up');
  const convergeMs = Date.now() - healedAt;
  const applyMs = Math.max(1, Date.now() - (firstAppliedAt ?? healedAt));
  return { burstMs, convergeMs, reconnectMs: convergeMs - applyMs, applyMs, applyPerSecond: Math.round(backlog / (applyMs / 1000)) };
}

export async function replicationBenchmark(argv: string[]): Promise<void> {
  const option = (name: string, fallback: number): number => numberOption(argv, name, fallback);
  const seconds = option('seconds', 20);
  const rate = option('rate', 2000);
  const backlog = option('backlog', 100_000);
  const catchUpRounds = option('rounds', 3);
  const regions = await startRegionCluster(NAMES);
  try {
    await createGlobalTable(regions);
    console.log(`replication benchmark: 3 region processes; phase 1: ${rate} PutItem/s spread over the regions for ${seconds} s`);
    const warmupMs = 3000;
    const spec = {
      endpoint: regions[0].endpoint, endpoints: regions.map((r) => r.endpoint), operation: 'PutItem', table: TABLE,
      connections: 48, keys: 100_000, valueBytes: 100, warmupMs, durationMs: seconds * 1000, varyValues: true, ratePerSecond: rate,
    };
    const load = run(process.execPath, ['--import', 'tsx', 'bench/loadgen.ts', JSON.stringify(spec)]);
    await new Promise((resolve) => setTimeout(resolve, warmupMs));
    await Promise.all(regions.map((r) => admin(r, '/admin/metrics/reset', 'POST')));
    const loadResult = JSON.parse((await load).stdout.trim().split('\n').pop()!) as { ops: number; errors: number; p99Ms: number };
    const pairs = (await Promise.all(regions.map((r) => admin<{ replication: (PairStatus & { target: string })[] }>(r, '/admin/metrics'))))
      .flatMap((m) => m.replication)
      .map((p) => ({ pair: `${p.source} → ${p.target}`, p50Ms: p.lagMs.p50, p99Ms: p.lagMs.p99, maxMs: p.lagMs.max }));

    const [source, bystander, target] = regions;
    console.log(`phase 2, ${catchUpRounds} rounds: ${target.name}'s links stalled, ${backlog} items written to ${source.name}, then heal`);
    const rounds: CatchUpRound[] = [];
    for (let round = 1; round <= catchUpRounds; round += 1) {
      rounds.push(await catchUp(source, bystander, target, backlog, `burst${round}`));
      console.log(`round ${round}: ${JSON.stringify(rounds[round - 1])}`);
    }
    const digests = await Promise.all(regions.map((r) => admin<{ tables: Record<string, { digest: string }> }>(r, `/admin/digest?table=${TABLE}`)));
    const converged = new Set(digests.map((d) => d.tables[TABLE].digest)).size === 1;
    const med = (key: keyof CatchUpRound): number => Math.round(median(rounds.map((r) => r[key])));
    const convergeMs = med('convergeMs');
    const applyMs = med('applyMs');
    const applyPerSecond = med('applyPerSecond');

    const result = {
      date: new Date().toISOString().slice(0, 10),
      machine: machine(),
      steady: { ratePerSecond: rate, seconds, achievedPerSecond: round2(loadResult.ops), putP99Ms: round2(loadResult.p99Ms), errors: loadResult.errors, pairs },
      catchUp: { backlog, rounds, median: { convergeMs, reconnectMs: med('reconnectMs'), applyMs, applyPerSecond }, converged },
      targets: { p50Ms: 5, p99Ms: 25, applyPerSecond: 50_000, convergeMs: 3000 },
    };
    const table = [
      `Measured ${result.date} on ${result.machine.cores} cores (three regions, three nats-servers and the load generator share them), Node ${result.machine.node}.`,
      '',
      `Steady state: ${Math.round(result.steady.achievedPerSecond)} PutItem/s spread over the three regions for ${seconds} s.`,
      '',
      '| pair | ReplicationLatency p50 | p99 | max |',
      '|---|---:|---:|---:|',
      ...pairs.map((p) => `| ${p.pair} | ${p.p50Ms} ms | ${p.p99Ms} ms | ${p.maxMs} ms |`),
      '',
      `Catch-up, median of ${catchUpRounds} rounds: ${backlog.toLocaleString('en')} changes written to ${source.name} while ${target.name}'s links were stalled (and ${bystander.name} had applied them); after heal, ${target.name} had all of them in **${convergeMs} ms**: ${med('reconnectMs')} ms to reconnect through the healed link, then ${applyMs} ms of applying (**${applyPerSecond.toLocaleString('en')} changes/s**; rounds: ${rounds.map((r) => `${r.applyPerSecond.toLocaleString('en')}/s in ${r.convergeMs} ms`).join(', ')}); digests equal in all three regions: ${converged ? 'yes' : 'no'}.`,
    ].join('\n');
    writeFileSync('bench/results/replication.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('bench/results/replication.md', `${table}\n`);
    console.log(`\n${table}`);
  } finally {
    await Promise.all(regions.map((r) => r.stop()));
  }
}
