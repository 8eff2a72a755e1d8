/**
 * A region given a nats-server (--nats-url) whose max_payload is too small for the largest valid
 * item's change refuses to start, and says what to set; the embedded server allows enough.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { streamName } from '../../src/bus/wire.js';
import { afterEach, describe, expect, it } from 'vitest';
import { NATS_MAX_PAYLOAD_BYTES, NatsMaxPayloadTooSmallError } from '../../src/bus/wireLimits.js';
import { startNatsServer, type RunningNatsServer } from '../../src/nats/launcher.js';
import { startRegion } from '../../src/region/region.js';
import { freePort } from '../helpers/ports.js';
import { clientFor } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'globaltables-maxpayload-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A nats-server as an operator would run it: nats-server's own default max_payload is 1 MiB. */
async function natsServer(maxPayloadBytes: number): Promise<RunningNatsServer> {
  const server = await startNatsServer({ storeDir: await tempDir(), maxPayloadBytes });
  cleanups.push(() => server.stop());
  return server;
}

describe('a nats-server that allows too little', () => {
  it('is refused at start with NatsMaxPayloadTooSmallError naming the value needed and how to set it; the port is given back', async () => {
    const server = await natsServer(1024 * 1024);
    const port = await freePort();
    const start = startRegion({ name: 'us-east-1', port, dataDir: await tempDir(), changeStream: { natsUrl: server.url } });
    const error = await start.then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(NatsMaxPayloadTooSmallError);
    expect((error as NatsMaxPayloadTooSmallError).maxPayloadBytes).toBe(1024 * 1024);
    expect((error as Error).message).toContain(`at ${server.url} accepts messages of at most 1048576 bytes (max_payload)`);
    expect((error as Error).message).toContain(`"max_payload: ${NATS_MAX_PAYLOAD_BYTES}"`);
    expect((error as Error).message).toContain('-c <file>');
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('makes `globaltables region --nats-url` exit with the message and no stack', async () => {
    const server = await natsServer(1024 * 1024);
    const child = spawn(process.execPath, ['bin/globaltables.js', 'region', '--name', 'us-east-1', '--port', String(await freePort()), '--data', await tempDir(), '--nats-url', server.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain(`globaltables: the nats-server at ${server.url} accepts messages of at most 1048576 bytes (max_payload)`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('is accepted at the limit, a stream limit of its own is lifted, and the embedded server is started with the limit', async () => {
    const server = await natsServer(NATS_MAX_PAYLOAD_BYTES);
    // The region's stream made beforehand with a small message limit.
    const admin = await connect({ servers: server.url });
    const jsm = await jetstreamManager(admin);
    await jsm.streams.add({ name: streamName('us-east-1'), subjects: ['chg.us-east-1.>'], max_msg_size: 1000 });
    const region = await startRegion({ name: 'us-east-1', port: 0, dataDir: await tempDir(), changeStream: { natsUrl: server.url } });
    cleanups.push(() => region.close());
    const client = clientFor(region.endpoint);
    cleanups.push(async () => client.destroy());
    const table = await createTable(client);
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'big' }, b: { B: Buffer.alloc(399_000, 1) } } }));
    await region.publisher!.drained();
    expect((await jsm.streams.info(streamName('us-east-1'))).config.max_msg_size).toBe(-1);
    await admin.close();
    const embedded = await startRegion({ name: 'eu-west-1', port: 0, dataDir: await tempDir(), changeStream: {} });
    cleanups.push(() => embedded.close());
    const connection = await connect({ servers: embedded.changeStream!.natsUrl });
    expect(connection.info?.max_payload).toBe(NATS_MAX_PAYLOAD_BYTES);
    await connection.close();
  });
});
