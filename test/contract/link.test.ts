import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { LinkProxy } from '../../src/nats/linkProxy.js';
import { ThreadedLink } from '../../src/nats/linkThread.js';
import { SimNetwork } from '../../src/sim/network.js';
import { SimRandom } from '../../src/sim/random.js';
import { SimScheduler } from '../../src/sim/scheduler.js';
import { runLinkContract, type LinkHarness } from './link.contract.js';

/** A TCP proxy: a server behind it sends lines, a client in front of it reads them. */
async function proxyHarness(start: (target: { host: string; port: number }) => Promise<LinkProxy | ThreadedLink>): Promise<LinkHarness> {
  let serverSide: Socket | undefined;
  const server: Server = createServer((socket) => { serverSide = socket; socket.on('error', () => undefined); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const link = await start({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
  let lines: string[] = [];
  let client: Socket | undefined;
  const connect = async (): Promise<void> => {
    serverSide = undefined;
    let buffer = '';
    client = createConnection(link.port, '127.0.0.1');
    client.on('error', () => undefined);
    client.on('data', (chunk) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
    });
    while (!serverSide) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  await connect();
  return {
    link,
    async send(line) { serverSide!.write(`${line}\n`); },
    received: () => lines,
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async reconnect() {
      lines = [];
      await connect();
    },
    async close() {
      client?.destroy();
      await link.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The simulated network's link on virtual time: elapse() runs the scheduler, nothing waits for real. */
async function simulatedHarness(): Promise<LinkHarness> {
  const scheduler = new SimScheduler(1_700_000_000_000);
  const network = new SimNetwork(scheduler, new SimRandom(1));
  const link = network.link('source', 'region');
  const lines: string[] = [];
  return {
    link,
    async send(line) { network.send('source', 'region', line.length, () => lines.push(line)); },
    received: () => lines,
    elapse: (ms) => scheduler.runFor(ms),
    // A message network has no connection to open again.
    async reconnect() {},
    close: () => link.close(),
  };
}

runLinkContract('TCP proxy', () => proxyHarness((target) => LinkProxy.start({ name: 'contract', target })));
// What regions run: the proxies on a thread of their own, asked synchronously.
runLinkContract('TCP proxy on the link thread', () => proxyHarness((target) => ThreadedLink.start({ name: 'contract', target })));
runLinkContract('simulated', simulatedHarness);
