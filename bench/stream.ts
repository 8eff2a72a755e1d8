/**
 * `npm run bench -- stream`: sustained PutItem on a region whose change stream is on; the lag from
 * commit to JetStream acknowledgement, the write and publish rates, and the drain after the load.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startRegion } from '../src/region/region.js';
import { machine, median, numberOption, round2 } from './stats.js';

const run = promisify(execFile);

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

interface StreamRound {
  writesPerSecond: number;
  publishedPerSecond: number;
  putP99Ms: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  backlogAtEnd: number;
  drainMs: number;
}

/** One measured run of PutItem against a fresh region, its change stream on or off. */
async function measure(streamOn: boolean, seconds: number, connections: number, warmupMs: number): Promise<StreamRound> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  const region = await startRegion({ name: 'us-east-1', port: 0, dataDir, ...(streamOn ? { changeStream: {} } : {}) });
  try {
    const client = new DynamoDBClient({ endpoint: region.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await client.send(new CreateTableCommand({
      TableName: 'bench', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    client.destroy();
    // Every acknowledged change is recorded; the load generator's own window selects what counts.
    const observed: { commitTimeMs: number; lagMs: number }[] = [];
    const publisher = region.publisher;
    publisher?.observe((commitTimesMs, ackedAtMs) => {
      for (const commitTimeMs of commitTimesMs) observed.push({ commitTimeMs, lagMs: ackedAtMs - commitTimeMs });
    });
    const spec = { endpoint: region.endpoint, operation: 'PutItem', table: 'bench', connections, keys: 10_000, valueBytes: 100, warmupMs, durationMs: seconds * 1000, varyValues: true };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/loadgen.ts', JSON.stringify(spec)]);
    const load = JSON.parse(stdout.trim().split('\n').pop()!) as { ops: number; p99Ms: number; windowStartMs: number; windowEndMs: number };
    const backlogAtEnd = publisher ? region.ctx.store.lastLsn() - publisher.publishedLsn : 0;
    const drainStart = Date.now();
    await publisher?.drained(60_000);
    const drainMs = Date.now() - drainStart;
    const lagsMs = observed.filter((o) => o.commitTimeMs >= load.windowStartMs && o.commitTimeMs <= load.windowEndMs).map((o) => o.lagMs).sort((a, b) => a - b);
    return {
      writesPerSecond: round2(load.ops),
      publishedPerSecond: round2(lagsMs.length / seconds),
      putP99Ms: round2(load.p99Ms),
      lagP50Ms: percentile(lagsMs, 50),
      lagP99Ms: percentile(lagsMs, 99),
      lagMaxMs: lagsMs[lagsMs.length - 1] ?? 0,
      backlogAtEnd,
      drainMs,
    };
  } finally {
    await region.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Rounds alternate a region with its change stream off (the peer: the table service alone) and
 * one with it on, so the machine's noise hits both alike; medians and the median ratio are reported.
 */
export async function streamBenchmark(argv: string[]): Promise<void> {
  const option = (name: string, fallback: number): number => numberOption(argv, name, fallback);
  const seconds = option('seconds', 10);
  const connections = option('connections', 32);
  const rounds = option('rounds', 3);
  const warmupMs = 3000;
  console.log(`stream benchmark: ${rounds} alternating rounds, ${connections} connections, PutItem for ${seconds} s after a ${warmupMs / 1000} s warm-up, change stream off then on`);
  const off: StreamRound[] = [];
  const on: StreamRound[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    off.push(await measure(false, seconds, connections, warmupMs));
    on.push(await measure(true, seconds, connections, warmupMs));
    console.log(`round ${round}: stream off ${Math.round(off[round - 1].writesPerSecond)} writes/s; stream on ${Math.round(on[round - 1].writesPerSecond)} writes/s, lag p99 ${on[round - 1].lagP99Ms} ms`);
  }
  const med = (rows: StreamRound[], key: keyof StreamRound): number => round2(median(rows.map((r) => r[key])));
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    config: { seconds, connections, rounds, warmupSeconds: warmupMs / 1000 },
    streamOff: { writesPerSecond: med(off, 'writesPerSecond'), putP99Ms: med(off, 'putP99Ms') },
    streamOn: Object.fromEntries((Object.keys(on[0]) as (keyof StreamRound)[]).map((k) => [k, med(on, k)])),
    ratioOnToOff: round2(median(on.map((r, i) => r.writesPerSecond / off[i].writesPerSecond))),
    rounds: { off, on },
    targets: { writesPerSecond: 10_000, lagP99Ms: 10 },
  };
  const o = result.streamOn as unknown as StreamRound;
  const table = [
    `Measured ${result.date} on ${result.machine.cores} cores (region, its nats-server and the load generator share them), Node ${result.machine.node}; medians of ${rounds} alternating rounds.`,
    '',
    '| | writes/s (PutItem) | PutItem p99 | published/s | commit → JetStream ack p50 / p99 / max | backlog at end | drained in |',
    '|---|---:|---:|---:|---:|---:|---:|',
    `| change stream on | **${Math.round(o.writesPerSecond)}** | ${o.putP99Ms} ms | ${Math.round(o.publishedPerSecond)} | ${o.lagP50Ms} / **${o.lagP99Ms}** / ${o.lagMaxMs} ms | ${o.backlogAtEnd} | ${o.drainMs} ms |`,
    `| change stream off (peer) | ${Math.round(result.streamOff.writesPerSecond)} | ${result.streamOff.putP99Ms} ms | | | | |`,
    `| ratio on / off (median of per-round ratios) | ${result.ratioOnToOff}× | | | | | |`,
  ].join('\n');
  writeFileSync('bench/results/stream.json', `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/results/stream.md', `${table}\n`);
  console.log(`\n${table}`);
}
