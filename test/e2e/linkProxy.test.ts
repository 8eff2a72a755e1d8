import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as connectTcp, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as connectNats, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startNatsServer } from '../../src/nats/launcher.js';
import { LinkProxy, LinkSettingsError, type LinkProxyOptions } from '../../src/nats/linkProxy.js';
import { freePort } from '../helpers/ports.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Target {
  port: number;
  /** Server-side sockets, in accept order. */
  sockets: Socket[];
  /** Bytes each server-side socket received. */
  received: Buffer[][];
}

/** A TCP server; by default it echoes, with an optional prefix on each reply so two targets can be told apart. */
async function startTarget(onConnection?: (socket: Socket) => void, prefix = ''): Promise<Target> {
  const target: Target = { port: 0, sockets: [], received: [] };
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    const received: Buffer[] = [];
    target.sockets.push(socket);
    target.received.push(received);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    if (onConnection) onConnection(socket);
    else socket.on('data', (chunk: Buffer) => socket.write(prefix ? Buffer.concat([Buffer.from(prefix), chunk]) : chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.port = (server.address() as { port: number }).port;
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of target.sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return target;
}

async function startProxy(target: Target | number, options: Partial<LinkProxyOptions> = {}): Promise<LinkProxy> {
  const port = typeof target === 'number' ? target : target.port;
  const proxy = await LinkProxy.start({ target: { host: '127.0.0.1', port }, name: 'a->b', ...options });
  cleanups.push(() => proxy.close());
  return proxy;
}

interface Client {
  socket: Socket;
  data: () => Buffer;
  closed: Promise<void>;
}

async function connectClient(port: number): Promise<Client> {
  const socket = connectTcp(port, '127.0.0.1');
  socket.setNoDelay(true);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  cleanups.push(() => void socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, data: () => Buffer.concat(chunks), closed };
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return Promise.race([promise, sleep(timeoutMs).then(() => { throw new Error(`not settled within ${timeoutMs} ms`); })]);
}

function total(chunks: Buffer[]): Buffer {
  return Buffer.concat(chunks);
}

/** Deterministic generator so a jitter run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe('LinkProxy over TCP', () => {
  it('forwards both ways unchanged and counts the bytes', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target);
    expect(proxy.url).toBe(`nats://127.0.0.1:${proxy.port}`);
    expect(proxy.name).toBe('a->b');
    const client = await connectClient(proxy.port);
    const payload = randomBytes(1024 * 1024);
    client.socket.write(payload);
    await until(() => client.data().length >= payload.length);
    expect(client.data().equals(payload)).toBe(true);
    expect(total(target.received[0]).equals(payload)).toBe(true);
    expect(proxy.stats()).toMatchObject({ connections: 1, openConnections: 1, bytesUpstream: payload.length, bytesDownstream: payload.length, resets: 0, heldBytes: 0 });
  });

  it('delays only the downstream direction by latencyMs', async () => {
    let serverGotAtMs = 0;
    const target = await startTarget((socket) => socket.on('data', () => {
      serverGotAtMs = performance.now();
      socket.write('pong');
    }));
    const proxy = await startProxy(target);
    const client = await connectClient(proxy.port);
    const roundTrip = async () => {
      const before = client.data().length;
      const sentAtMs = performance.now();
      client.socket.write('ping');
      await until(() => client.data().length >= before + 4);
      return { upMs: serverGotAtMs - sentAtMs, downMs: performance.now() - serverGotAtMs };
    };
    const fast = await roundTrip();
    expect(fast.downMs).toBeLessThan(50);
    expect(proxy.update({ latencyMs: 100 })).toEqual({ latencyMs: 100, jitterMs: 0, stalled: false });
    const slow = await roundTrip();
    expect(slow.upMs).toBeLessThan(50);
    expect(slow.downMs).toBeGreaterThanOrEqual(100);
    expect(slow.downMs).toBeLessThan(300);
  });

  it('keeps byte order under jitter across many chunks', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `${i}\n`);
    const target = await startTarget((socket) => socket.once('data', async () => {
      for (const line of lines) {
        socket.write(line);
        await sleep(1);
      }
    }));
    const random = seeded(7);
    let draws = 0;
    const proxy = await startProxy(target, { random: () => { draws += 1; return random(); } });
    proxy.update({ latencyMs: 5, jitterMs: 40 });
    const client = await connectClient(proxy.port);
    client.socket.write('go');
    await until(() => client.data().toString().split('\n').length > lines.length);
    expect(client.data().toString()).toBe(lines.join(''));
    // Many separate chunks must have drawn jitter, or the order check proves nothing.
    expect(draws).toBeGreaterThan(20);
  });

  it('holds bytes both ways while stalled, then delivers them in order on heal', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target);
    const client = await connectClient(proxy.port);
    client.socket.write('hello');
    await until(() => client.data().toString() === 'hello');
    proxy.update({ stalled: true, latencyMs: 30 });
    for (const part of ['a', 'b', 'c']) {
      client.socket.write(part);
      await sleep(5);
    }
    target.sockets[0].write('!');
    await sleep(250);
    expect(total(target.received[0]).toString()).toBe('hello');
    expect(client.data().toString()).toBe('hello');
    expect(proxy.stats().heldBytes).toBe(4);

    // A connection made during the stall is accepted, but the target does not see it yet.
    const late = await connectClient(proxy.port);
    late.socket.write('late');
    await sleep(100);
    expect(target.sockets).toHaveLength(1);

    expect(proxy.heal()).toEqual({ latencyMs: 0, jitterMs: 0, stalled: false });
    await until(() => client.data().toString().length === 'hello!abc'.length && late.data().toString() === 'late');
    expect(client.data().toString()).toBe('hello!abc');
    expect(total(target.received[0]).toString()).toBe('helloabc');
    expect(proxy.stats().heldBytes).toBe(0);
  });

  it('un-stalling through update() releases held bytes and held connections', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target);
    const client = await connectClient(proxy.port);
    await until(() => target.sockets.length === 1);
    proxy.update({ stalled: true });
    client.socket.write('held');
    const late = await connectClient(proxy.port);
    late.socket.write('late');
    await sleep(100);
    expect(client.data()).toHaveLength(0);
    expect(target.sockets).toHaveLength(1);
    expect(proxy.update({ stalled: false, latencyMs: 20 })).toEqual({ latencyMs: 20, jitterMs: 0, stalled: false });
    await until(() => client.data().toString() === 'held' && late.data().toString() === 'late');
    expect(target.sockets).toHaveLength(2);
  });

  it('pauses a fast sender while stalled instead of buffering without bound', async () => {
    const target = await startTarget(() => {});
    const proxy = await startProxy(target);
    const client = await connectClient(proxy.port);
    await until(() => target.sockets.length === 1);
    proxy.update({ stalled: true });
    const payload = randomBytes(48 * 1024 * 1024);
    client.socket.write(payload);
    await until(() => proxy.stats().heldBytes >= 4 * 1024 * 1024);
    await sleep(200);
    expect(proxy.stats().heldBytes).toBeLessThan(5 * 1024 * 1024);
    expect(client.socket.writableLength).toBeGreaterThan(0);
    expect(total(target.received[0])).toHaveLength(0);
    proxy.heal();
    await until(() => proxy.stats().bytesUpstream === payload.length, 8_000);
    await until(() => total(target.received[0]).length === payload.length);
    const digest = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');
    expect(digest(total(target.received[0]))).toBe(digest(payload));
  });

  it('slows a fast sender down to the pace of a slow target', async () => {
    const target = await startTarget((socket) => socket.pause());
    const proxy = await startProxy(target);
    const client = await connectClient(proxy.port);
    const payload = randomBytes(32 * 1024 * 1024);
    client.socket.write(payload);
    await sleep(400);
    // Kernel buffers absorb a few MB; without backpressure the proxy would take it all into memory.
    expect(proxy.stats().bytesUpstream).toBeLessThan(16 * 1024 * 1024);
    expect(client.socket.writableLength).toBeGreaterThan(0);
  });

  it('reset() drops every open connection, keeps the settings, and accepts new ones', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target);
    proxy.update({ latencyMs: 5 });
    const clients = [await connectClient(proxy.port), await connectClient(proxy.port)];
    await until(() => target.sockets.length === 2);
    const serverClosed = target.sockets.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    proxy.reset();
    await within(Promise.all([...clients.map((client) => client.closed), ...serverClosed]), 2_000);
    expect(proxy.stats()).toMatchObject({ resets: 2, openConnections: 0 });
    expect(proxy.settings.latencyMs).toBe(5);
    const fresh = await connectClient(proxy.port);
    fresh.socket.write('again');
    await until(() => fresh.data().toString() === 'again');
  });

  it('closes the client when the target closes, after the held bytes', async () => {
    const target = await startTarget((socket) => socket.once('data', () => socket.end('bye')));
    const proxy = await startProxy(target);
    proxy.update({ latencyMs: 100 });
    const client = await connectClient(proxy.port);
    client.socket.write('hi');
    await within(client.closed, 2_000);
    expect(client.data().toString()).toBe('bye');
    await until(() => proxy.stats().openConnections === 0);
  });

  it('closes the client when the target refuses the connection', async () => {
    const proxy = await startProxy(await freePort());
    const client = await connectClient(proxy.port);
    await within(client.closed, 2_000);
    await until(() => proxy.stats().openConnections === 0);
  });

  it('setTarget() resets open connections and sends new ones to the new target', async () => {
    const first = await startTarget(undefined, 'A:');
    const second = await startTarget(undefined, 'B:');
    const proxy = await startProxy(first);
    const old = await connectClient(proxy.port);
    old.socket.write('x');
    await until(() => old.data().toString() === 'A:x');
    proxy.setTarget({ host: '127.0.0.1', port: second.port });
    await within(old.closed, 2_000);
    const fresh = await connectClient(proxy.port);
    fresh.socket.write('y');
    await until(() => fresh.data().toString() === 'B:y');
    expect(proxy.stats().resets).toBe(1);
  });

  it('rejects negative, non-finite and mistyped settings with LinkSettingsError', async () => {
    const proxy = await startProxy(await freePort());
    proxy.update({ latencyMs: 10, jitterMs: 2 });
    const bad = [{ latencyMs: -1 }, { latencyMs: Number.NaN }, { jitterMs: Number.POSITIVE_INFINITY }, { jitterMs: '5' }, { stalled: 'yes' }, { latencyMs: 1, jitterMs: -3 }];
    for (const settings of bad) {
      expect(() => proxy.update(settings as never)).toThrow(LinkSettingsError);
    }
    try {
      proxy.update({ latencyMs: -1 });
    } catch (error) {
      expect((error as Error).name).toBe('LinkSettingsError');
      expect((error as Error).message).toMatch(/latencyMs/);
    }
    expect(proxy.settings).toEqual({ latencyMs: 10, jitterMs: 2, stalled: false });
    expect(proxy.update({ jitterMs: 0 })).toEqual({ latencyMs: 10, jitterMs: 0, stalled: false });
  });

  it('close() stops listening and destroys open connections', async () => {
    const target = await startTarget();
    const proxy = await startProxy(target);
    const client = await connectClient(proxy.port);
    await until(() => target.sockets.length === 1);
    proxy.update({ latencyMs: 1_000 });
    target.sockets[0].write('late');
    await within(proxy.close(), 2_000);
    await within(client.closed, 2_000);
    expect(client.data()).toHaveLength(0);
    expect(await canConnect(proxy.port)).toBe(false);
    expect(proxy.stats()).toMatchObject({ openConnections: 0, heldBytes: 0 });
  });
});

describe('LinkProxy in front of a real nats-server', () => {
  it('carries pub/sub and requests, silences them during a stall, and recovers after heal', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'globaltables-link-'));
    const server = await startNatsServer({ storeDir, name: 'link-test' });
    cleanups.push(async () => { await server.stop(); await rm(storeDir, { recursive: true, force: true }); });
    const proxy = await startProxy(server.port);

    const direct = await connectNats({ servers: server.url });
    cleanups.push(() => direct.close());
    direct.subscribe('echo', { callback: (_error, message) => { message.respond(message.data); } });
    await direct.flush();

    const linked: NatsConnection = await connectNats({ servers: proxy.url, pingInterval: 200, maxPingOut: 2, reconnectTimeWait: 50, maxReconnectAttempts: -1 });
    cleanups.push(() => linked.close());
    const statuses: string[] = [];
    void (async () => { for await (const status of linked.status()) statuses.push(status.type); })();

    const seen: string[] = [];
    linked.subscribe('news', { callback: (_error, message) => { seen.push(message.string()); } });
    await linked.flush();
    direct.publish('news', 'one');
    await until(() => seen.includes('one'));
    expect((await linked.request('echo', 'ping', { timeout: 1_000 })).string()).toBe('ping');

    proxy.update({ stalled: true });
    await expect(linked.request('echo', 'during', { timeout: 400 })).rejects.toThrow();
    direct.publish('news', 'two');
    // Longer than pingInterval * maxPingOut: the client must notice the silence on its own.
    await until(() => statuses.includes('staleConnection'), 3_000);
    expect(seen).not.toContain('two');

    proxy.heal();
    await until(() => statuses.includes('reconnect'), 3_000);
    expect((await linked.request('echo', 'after', { timeout: 1_000 })).string()).toBe('after');
    direct.publish('news', 'three');
    await until(() => seen.includes('three'));
    expect(proxy.stats().bytesDownstream).toBeGreaterThan(0);
  });
});
