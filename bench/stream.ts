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
import { machine, round2 } from './stats.js';

const run = promisify(execFile);

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

export async function streamBenchmark(argv: string[]): Promise<void> {
  const option = (name: string, fallback: number): number => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const seconds = option('seconds', 10);
  const connections = option('connections', 32);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  const region = await startRegion({ name: 'us-east-1', port: 0, dataDir, changeStream: {} });
  try {
    const client = new DynamoDBClient({ endpoint: region.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await client.send(new CreateTableCommand({
      TableName: 'bench', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    client.destroy();
    const warmupMs = 3000;
    // Every acknowledged change is recorded; the load generator's own window selects what counts.
    const observed: { commitTimeMs: number; lagMs: number }[] = [];
    const publisher = region.changeStream!.publisher;
    publisher.observe((batch, ackedAtMs) => {
      for (const change of batch) observed.push({ commitTimeMs: change.commitTimeMs, lagMs: ackedAtMs - change.commitTimeMs });
    });
    console.log(`stream benchmark: ${connections} connections, PutItem for ${seconds} s after a ${warmupMs / 1000} s warm-up, change stream on`);
    const spec = { endpoint: region.endpoint, operation: 'PutItem', table: 'bench', connections, keys: 10_000, valueBytes: 100, warmupMs, durationMs: seconds * 1000, varyValues: true };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/loadgen.ts', JSON.stringify(spec)]);
    const load = JSON.parse(stdout.trim().split('\n').pop()!) as { ops: number; errors: number; p50Ms: number; p99Ms: number; windowStartMs: number; windowEndMs: number };
    const backlogAtEnd = region.ctx.store.lastLsn() - publisher.publishedLsn;
    const drainStart = Date.now();
    await publisher.drained(60_000);
    const drainMs = Date.now() - drainStart;
    const inWindow = observed.filter((o) => o.commitTimeMs >= load.windowStartMs && o.commitTimeMs <= load.windowEndMs);
    const lagsMs = inWindow.map((o) => o.lagMs).sort((a, b) => a - b);
    const published = inWindow.length;
    const result = {
      date: new Date().toISOString().slice(0, 10),
      machine: machine(),
      config: { seconds, connections, warmupSeconds: warmupMs / 1000 },
      writesPerSecond: round2(load.ops),
      publishedPerSecond: round2(published / seconds),
      putP50Ms: round2(load.p50Ms),
      putP99Ms: round2(load.p99Ms),
      lagP50Ms: round2(percentile(lagsMs, 50)),
      lagP99Ms: round2(percentile(lagsMs, 99)),
      lagMaxMs: round2(lagsMs[lagsMs.length - 1] ?? 0),
      backlogAtEnd,
      drainMs,
      targets: { writesPerSecond: 10_000, lagP99Ms: 10 },
    };
    const table = [
      `Measured ${result.date} on ${result.machine.cores} cores (region, its nats-server and the load generator share them), Node ${result.machine.node}.`,
      '',
      '| writes/s (PutItem, stream on) | published/s | commit → JetStream ack p50 / p99 / max | backlog at end | drained in |',
      '|---:|---:|---:|---:|---:|',
      `| ${Math.round(result.writesPerSecond)} | ${Math.round(result.publishedPerSecond)} | ${result.lagP50Ms} / ${result.lagP99Ms} / ${result.lagMaxMs} ms | ${backlogAtEnd} | ${drainMs} ms |`,
    ].join('\n');
    writeFileSync('bench/results/stream.json', `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync('bench/results/stream.md', `${table}\n`);
    console.log(`\n${table}`);
  } finally {
    await region.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
