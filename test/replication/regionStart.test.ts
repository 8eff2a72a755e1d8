import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/nats/launcher.js';
import { startRegion } from '../../src/region/region.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A peer that accepts connections and never answers. */
async function silentPeer(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

describe('a region with peers, as it starts', () => {
  it('answers its first request with its peers already configured', async () => {
    const endpoint = await silentPeer();
    const dataDir = await mkdtemp(join(tmpdir(), 'region-start-'));
    const port = await freePort();
    const starting = startRegion({ name: 'us-east-1', port, dataDir, changeStream: {}, peers: [{ name: 'eu-west-1', endpoint }], log: () => undefined });
    cleanups.push(async () => {
      await (await starting).close();
      await rm(dataDir, { recursive: true, force: true });
    });
    // Ask as soon as anything answers on the port, as a script that waits for the region would.
    let status: { replication?: { source: string }[] } | undefined;
    while (!status) {
      status = await fetch(`http://127.0.0.1:${port}/admin/status`).then((r) => r.json() as Promise<{ replication?: { source: string }[] }>, () => undefined);
      if (!status) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(status.replication?.map((pair) => pair.source)).toEqual(['eu-west-1']);
  });

  it('takes its port at once and holds requests while it starts; when it cannot finish starting it drops them and gives the port back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'region-start-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // Where the region looks for its nats-server: something that accepts and never speaks, until told.
    const natsSockets: Socket[] = [];
    const fakeNats = createServer((socket) => natsSockets.push(socket));
    await new Promise<void>((resolve) => fakeNats.listen(0, '127.0.0.1', resolve));
    const port = await freePort();
    const starting = startRegion({ name: 'us-east-1', port, dataDir, changeStream: { natsUrl: `nats://127.0.0.1:${(fakeNats.address() as { port: number }).port}` }, log: () => undefined });
    const outcome = starting.then(() => 'started', () => 'failed');
    while (!natsSockets.length) await new Promise((resolve) => setTimeout(resolve, 5));

    const client = connect(port, '127.0.0.1');
    let answer = '';
    client.on('data', (chunk: Buffer) => { answer += chunk.toString(); });
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => { client.once('connect', resolve); client.once('error', reject); });
    client.write(`GET /admin/status HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answer).toBe('');

    for (const socket of natsSockets) socket.destroy();
    fakeNats.close();
    expect(await outcome).toBe('failed');
    await closed;
    expect(answer).toBe('');
    const again = createServer();
    await new Promise<void>((resolve, reject) => { again.once('error', reject); again.listen(port, '127.0.0.1', resolve); });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });

  it('does not wait for a peer that never answers', async () => {
    const endpoint = await silentPeer();
    const startedAt = Date.now();
    const region: TestRegion = await startTestRegion({ changeStream: {}, peers: [{ name: 'eu-west-1', endpoint }], log: () => undefined });
    cleanups.push(() => region.stop());
    // A peer's request times out after 10 s; the region must not wait for it.
    expect(Date.now() - startedAt).toBeLessThan(8_000);
    const info = await (await fetch(`${region.region.endpoint}/admin/status`)).json() as { peers?: string[]; replication?: { source: string }[] };
    expect(info.replication?.map((pair) => pair.source)).toEqual(['eu-west-1']);
  });
});
