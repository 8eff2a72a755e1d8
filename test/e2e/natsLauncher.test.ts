import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findNatsServer, NatsServerNotFoundError, startNatsServer, type RunningNatsServer } from '../../src/nats/launcher.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function start(): Promise<RunningNatsServer> {
  const storeDir = await mkdtemp(join(tmpdir(), 'globaltables-nats-'));
  const server = await startNatsServer({ storeDir });
  cleanups.push(async () => { await server.stop(); await rm(storeDir, { recursive: true, force: true }); });
  return server;
}

describe('embedded nats-server', () => {
  it('starts with JetStream on free ports, answers /healthz, and stops', async () => {
    const server = await start();
    expect(server.port).not.toBe(4222);
    expect(await canConnect(server.port)).toBe(true);
    const varz = await (await fetch(`http://127.0.0.1:${server.monitorPort}/jsz`)).json() as { config?: { store_dir?: string } };
    expect(varz.config?.store_dir).toBeTruthy();
    await server.stop();
    expect(await canConnect(server.port)).toBe(false);
  });

  it('runs two servers side by side with separate stores', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).not.toBe(b.port);
    expect(await canConnect(a.port)).toBe(true);
    expect(await canConnect(b.port)).toBe(true);
  });

  it('names the install command when the binary is missing', () => {
    expect(() => findNatsServer({ PATH: '/nonexistent' }, [])).toThrow(NatsServerNotFoundError);
    expect(() => findNatsServer({ PATH: '/nonexistent' }, [])).toThrow(/apt-get install nats-server/);
    expect(findNatsServer({ PATH: '/nonexistent', NATS_SERVER_BIN: findNatsServer() }, [])).toMatch(/nats-server$/);
  });

  it('keeps its JetStream store in the given directory', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'globaltables-nats-'));
    const server = await startNatsServer({ storeDir });
    cleanups.push(async () => { await server.stop(); await rm(storeDir, { recursive: true, force: true }); });
    expect(await readdir(storeDir)).toContain('jetstream');
  });
});
