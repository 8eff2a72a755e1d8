import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { errors } from '@nats-io/nats-core';
import '../../src/bus/natsRequestPatch.js';
import { startNatsServer, type RunningNatsServer } from '../../src/nats/launcher.js';

let server: RunningNatsServer;
let dir: string;
let nc: NatsConnection;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nats-patch-'));
  server = await startNatsServer({ storeDir: dir });
  nc = await connect({ servers: server.url, noAsyncTraces: true });
  nc.subscribe('echo', { callback: (_err, msg) => { msg.respond(msg.data); } });
  nc.subscribe('silent', { callback: () => undefined });
});
afterAll(async () => {
  await nc?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('requests with the settled-request patch', () => {
  it('resolve with the reply, without building an error for the settled promise', async () => {
    // The module object nats.js reads RequestError from at call time: count what it builds.
    const errorsModule = createRequire(import.meta.url)(resolve('node_modules/@nats-io/nats-core/lib/errors.js')) as { RequestError: new (message?: string, options?: object) => Error };
    const Original = errorsModule.RequestError;
    const built: string[] = [];
    errorsModule.RequestError = class Counted extends Original {
      constructor(message?: string, options?: object) {
        super(message, options);
        built.push(message ?? '');
      }
    };
    try {
      const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => nc.request('echo', new TextEncoder().encode(`m${i}`), { timeout: 2000 })));
      expect(replies.map((r) => r.string())).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    } finally {
      errorsModule.RequestError = Original;
    }
    expect(built).toEqual([]);
  });

  it('still time out and still report no responders', async () => {
    await expect(nc.request('silent', undefined, { timeout: 200 })).rejects.toBeInstanceOf(errors.TimeoutError);
    const noOne = await nc.request('nobody.listens', undefined, { timeout: 1000 }).catch((error: unknown) => error);
    expect(noOne).toBeInstanceOf(errors.RequestError);
    expect((noOne as InstanceType<typeof errors.RequestError>).isNoResponders()).toBe(true);
  });
});
