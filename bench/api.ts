/**
 * `npm run bench -- api`: PutItem and GetItem throughput and latency of one region against
 * dynalite, driven by the same load generator, alternating rounds, medians and ratios.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynalite, startOurs, type Server } from './servers.js';
import { machine, median, round2 } from './stats.js';

const run = promisify(execFile);

interface Options { rounds: number; seconds: number; warmupSeconds: number; connections: number; keys: number; valueBytes: number }
interface PhaseResult { ops: number; errors: number; requests: number; p50Ms: number; p99Ms: number }
interface RoundResult { put: PhaseResult; get: PhaseResult }

function parseOptions(argv: string[]): Options {
  // A long warm-up lets both servers reach steady state (JIT, caches) before anything is counted.
  const options: Options = { rounds: 3, seconds: 10, warmupSeconds: 5, connections: 32, keys: 10_000, valueBytes: 100 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '') as keyof Options;
    if (name in options) options[name] = Number(argv[i + 1]);
  }
  return options;
}

async function prepare(server: Server, options: Options): Promise<void> {
  const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  await client.send(new CreateTableCommand({
    TableName: 'bench', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  const value = 'x'.repeat(options.valueBytes);
  const batches: Promise<unknown>[] = [];
  for (let start = 0; start < options.keys; start += 25) {
    const items = Array.from({ length: Math.min(25, options.keys - start) }, (_, i) => ({ PutRequest: { Item: { pk: { S: `k${start + i}` }, v: { S: value } } } }));
    batches.push(client.send(new BatchWriteItemCommand({ RequestItems: { bench: items } })));
    if (batches.length >= 16) await Promise.all(batches.splice(0));
  }
  await Promise.all(batches);
  client.destroy();
}

async function phase(server: Server, operation: 'PutItem' | 'GetItem', options: Options): Promise<PhaseResult> {
  const spec = { endpoint: server.endpoint, operation, table: 'bench', connections: options.connections, keys: options.keys, valueBytes: options.valueBytes, warmupMs: options.warmupSeconds * 1000, durationMs: options.seconds * 1000,
    // A put of the item already stored changes nothing: a region then neither writes nor logs it.
    // Every put must change its item to measure writes.
    varyValues: true };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/loadgen.ts', JSON.stringify(spec)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as PhaseResult;
}

async function round(start: () => Promise<Server>, options: Options): Promise<RoundResult> {
  const server = await start();
  try {
    await prepare(server, options);
    const put = await phase(server, 'PutItem', options);
    const get = await phase(server, 'GetItem', options);
    console.log(`  ${server.name.padEnd(12)} put ${Math.round(put.ops)}/s p99 ${put.p99Ms.toFixed(1)} ms | get ${Math.round(get.ops)}/s p99 ${get.p99Ms.toFixed(1)} ms${put.errors + get.errors ? ` | errors ${put.errors + get.errors}` : ''}`);
    return { put, get };
  } finally {
    await server.stop();
  }
}

function summarize(rounds: RoundResult[]) {
  return {
    put: round2(median(rounds.map((r) => r.put.ops))),
    get: round2(median(rounds.map((r) => r.get.ops))),
    putP50Ms: round2(median(rounds.map((r) => r.put.p50Ms))),
    putP99Ms: round2(median(rounds.map((r) => r.put.p99Ms))),
    getP50Ms: round2(median(rounds.map((r) => r.get.p50Ms))),
    getP99Ms: round2(median(rounds.map((r) => r.get.p99Ms))),
    errorRate: round2(rounds.reduce((s, r) => s + r.put.errors + r.get.errors, 0) / Math.max(1, rounds.reduce((s, r) => s + r.put.requests + r.get.requests, 0))),
  };
}

export async function apiBenchmark(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  console.log(`api benchmark: ${options.rounds} rounds × (${options.warmupSeconds} s warm-up + ${options.seconds} s) per phase, ${options.connections} connections, ${options.keys} keys, ${options.valueBytes}-byte values`);
  const ours: RoundResult[] = [];
  const dynalite: RoundResult[] = [];
  for (let i = 0; i < options.rounds; i += 1) {
    console.log(`round ${i + 1}/${options.rounds}`);
    ours.push(await round(startOurs, options));
    dynalite.push(await round(startDynalite, options));
  }
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    config: options,
    ours: summarize(ours),
    dynalite: summarize(dynalite),
    ratio: { put: 0, get: 0 },
    targets: { put: 1.5, get: 1.6 },
  };
  // Each round measures both servers back to back, so a per-round ratio cancels most of the drift
  // of a noisy machine; the reported ratio is the median of those.
  result.ratio = {
    put: round2(median(ours.map((r, i) => r.put.ops / dynalite[i].put.ops))),
    get: round2(median(ours.map((r, i) => r.get.ops / dynalite[i].get.ops))),
  };
  const table = [
    `Measured ${result.date} on ${result.machine.cores} cores, Node ${result.machine.node}; medians of ${options.rounds} alternating rounds, ${options.seconds} s per phase after a ${options.warmupSeconds} s warm-up.`,
    '',
    '| | PutItem ops/s | PutItem p50 / p99 ms | GetItem ops/s | GetItem p50 / p99 ms |',
    '|---|---:|---:|---:|---:|',
    `| globaltables | ${Math.round(result.ours.put)} | ${result.ours.putP50Ms} / ${result.ours.putP99Ms} | ${Math.round(result.ours.get)} | ${result.ours.getP50Ms} / ${result.ours.getP99Ms} |`,
    `| dynalite 4.0.0 | ${Math.round(result.dynalite.put)} | ${result.dynalite.putP50Ms} / ${result.dynalite.putP99Ms} | ${Math.round(result.dynalite.get)} | ${result.dynalite.getP50Ms} / ${result.dynalite.getP99Ms} |`,
    `| ratio, median of per-round ratios (target) | **${result.ratio.put}×** (≥ 1.5×) | | **${result.ratio.get}×** (≥ 1.6×) | |`,
  ].join('\n');
  writeFileSync('bench/results/api.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/results/api.md', `${table}\n`);
  console.log(`\n${table}`);
}
