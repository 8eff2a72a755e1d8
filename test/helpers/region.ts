/** Starts a real region (LMDB in a temp dir, HTTP on a free port) and SDK clients pointed at it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startRegion, type RegionOptions, type RunningRegion } from '../../src/region/region.js';

export interface TestRegion {
  region: RunningRegion;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  dataDir: string;
  stop(): Promise<void>;
}

export function clientFor(endpoint: string, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export async function startTestRegion(options: Partial<RegionOptions> = {}): Promise<TestRegion> {
  const dataDir = await mkdtemp(join(tmpdir(), 'globaltables-test-'));
  const region = await startRegion({ name: 'us-east-1', port: 0, dataDir, ...options });
  const client = clientFor(region.endpoint, region.ctx.region);
  const doc = DynamoDBDocumentClient.from(client);
  return {
    region,
    client,
    doc,
    dataDir,
    async stop() {
      client.destroy();
      await region.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let tableCounter = 0;
/** A table name unique within the test run. */
export function uniqueTableName(prefix = 'table'): string {
  tableCounter += 1;
  return `${prefix}-${process.pid}-${tableCounter}`;
}

/** Awaits a promise expected to fail and returns the SDK error for assertions on name and message. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the request to fail, but it succeeded');
}
