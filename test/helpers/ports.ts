/**
 * Free TCP ports for tests, so no test assumes a port is available. They are taken from below the
 * kernel's ephemeral range: a port the OS hands out for `listen(0)` (a nats-server on a free port)
 * or for an outgoing connection comes from that range, so it can never be one a test picked, wrote
 * into a region file and has not bound yet.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 10_000;
const ATTEMPTS = 50;

/** The first port of the ephemeral range, where the kernel says; undefined elsewhere. */
function ephemeralStart(): number | undefined {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > LOWEST + 1000 ? start : undefined;
  } catch {
    return undefined;
  }
}

const BELOW = ephemeralStart();

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

export async function freePort(): Promise<number> {
  if (BELOW !== undefined) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const port = await tryListen(LOWEST + Math.floor(Math.random() * (BELOW - LOWEST)));
      if (port !== undefined) return port;
    }
  }
  const port = await tryListen(0);
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}
