/**
 * The link thread carries every link of a process and ends with the last of them; a link started
 * after that gets a new thread, and each link forwards to its own target.
 */
import { createConnection, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadedLink } from '../../src/nats/linkThread.js';

/** A server that answers every connection with its name and closes it. */
async function namedServer(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

function readThrough(link: ThreadedLink): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = createConnection(link.port, '127.0.0.1');
    socket.on('data', (chunk) => { text += chunk.toString(); });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('the link thread', () => {
  const servers: { server: Server; port: number }[] = [];
  beforeAll(async () => { servers.push(await namedServer('a'), await namedServer('b')); });
  afterAll(async () => { for (const { server } of servers) await new Promise((resolve) => server.close(resolve)); });

  it('carries several links at once, each to its target, and starts again after the last one closed', async () => {
    const [a, b] = servers;
    const first = await ThreadedLink.start({ name: 'a->here', target: { host: '127.0.0.1', port: a.port } });
    const second = await ThreadedLink.start({ name: 'b->here', target: { host: '127.0.0.1', port: b.port } });
    expect(await readThrough(first)).toBe('a');
    expect(await readThrough(second)).toBe('b');
    second.setTarget({ host: '127.0.0.1', port: a.port });
    expect(await readThrough(second)).toBe('a');
    expect(first.stats().connections).toBe(1);
    expect(second.stats().connections).toBe(2);
    await first.close();
    await second.close();

    const again = await ThreadedLink.start({ name: 'b->here', target: { host: '127.0.0.1', port: b.port } });
    expect(again.update({ latencyMs: 20 })).toEqual({ latencyMs: 20, jitterMs: 0, stalled: false });
    expect(await readThrough(again)).toBe('b');
    await again.close();
  });
});
