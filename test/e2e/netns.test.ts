/** The test network namespace: calls from it reach a server here from its own address, and it leaves nothing behind. */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createNetns, netnsSupport } from '../helpers/netns.js';

const support = netnsSupport();
if (!support.supported) console.warn(`netns: skipping: ${support.reason}`);

/** A server that answers every request with the caller's address as its socket reports it. */
async function echoCaller(host: string): Promise<Server> {
  const server = createServer((req, res) => res.end(req.socket.remoteAddress));
  server.listen(0, host);
  await once(server, 'listening');
  return server;
}

describe.skipIf(!support.supported)('a test network namespace', () => {
  it('calls a server here from its own non-loopback address, IPv4-mapped on a dual-stack socket, and is gone once removed', async () => {
    const ns = await createNetns();
    const servers: Server[] = [];
    try {
      expect(ns.namespaceAddress).toMatch(/^10\.213\.\d+\.\d+$/);
      servers.push(await echoCaller(ns.hostAddress), await echoCaller('::'));
      const [v4, dual] = await ns.fetch(servers.map((s) => ({ url: `http://${ns.hostAddress}:${(s.address() as AddressInfo).port}/` })));
      expect(v4).toMatchObject({ status: 200, body: ns.namespaceAddress });
      expect(dual).toMatchObject({ status: 200, body: `::ffff:${ns.namespaceAddress}` });
      // Loopback inside the namespace is the namespace's own, down and unused: nothing here is reachable through it.
      await expect(ns.exec(process.execPath, ['-e', `fetch('http://127.0.0.1:${(servers[0].address() as AddressInfo).port}/').then(() => process.exit(0), () => process.exit(3))`])).rejects.toThrow(/exited with 3/);
    } finally {
      for (const server of servers) server.close();
      await ns.remove();
    }
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(ns.name);
    expect(execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' })).not.toContain(ns.hostAddress);
  });
});
