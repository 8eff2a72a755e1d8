/** The api benchmark's table, its preload, and one measured phase run by the load generator in its own process. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Server } from './servers.js';

const run = promisify(execFile);

export interface LoadOptions { seconds: number; warmupSeconds: number; connections: number; keys: number; valueBytes: number }

export interface PhaseResult { ops: number; errors: number; requests: number; p50Ms: number; p99Ms: number; windowStartMs: number; windowEndMs: number }

/** Creates the table and writes every key once, so GetItem always finds an item and PutItem replaces one. */
export async function prepareTable(server: Server, options: LoadOptions): Promise<void> {
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

export async function runPhase(server: Server, operation: 'PutItem' | 'GetItem', options: LoadOptions): Promise<PhaseResult> {
  const spec = {
    endpoint: server.endpoint, operation, table: 'bench', connections: options.connections, keys: options.keys, valueBytes: options.valueBytes,
    warmupMs: options.warmupSeconds * 1000, durationMs: options.seconds * 1000,
    // A put of the item already stored changes nothing: a region then neither writes nor logs
    // nor publishes it. Every put must change its item to measure writes.
    varyValues: true,
  };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/loadgen.ts', JSON.stringify(spec)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as PhaseResult;
}
