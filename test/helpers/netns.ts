/**
 * A network namespace of the test's own, joined to this one by a veth pair on a private /30, so a
 * server here can be called from a real address that is not loopback without a single packet going
 * to the machine's own network: the test creates every address it talks to, and removes them.
 * Needs Linux, root and iproute2; netnsSupport() says why not elsewhere, so a test can skip.
 */
import { failureText, ip, isMissingCommand, run, subnetInUse, toNumber } from '../../scripts/netns/ip.js';

export type NetnsSupport = { supported: true } | { supported: false; reason: string };

export interface NetnsRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface NetnsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Netns {
  name: string;
  /** This side of the veth pair: where a server here listens to be reached from the namespace. */
  hostAddress: string;
  /** The namespace's side: the source address a server here sees. */
  namespaceAddress: string;
  /** Runs a command inside the namespace; resolves with its stdout, rejects when it exits non-zero. */
  exec(command: string, args: string[], stdin?: string): Promise<string>;
  /** Sends the requests one after another from inside the namespace (one node process for all). */
  fetch(requests: NetnsRequest[]): Promise<NetnsResponse[]>;
  /** Deletes the namespace, which deletes the veth pair with it. */
  remove(): Promise<void>;
}

/** Private, and far from the 10.0.x.x and 10.1.x.x that container and VPN networks like to take. */
const PREFIX = '10.213';
const SUBNETS = 16_384; // the /30s in 10.213.0.0/16
const TIMEOUT_MS = 15_000;

let supportSeen: NetnsSupport | undefined;
let created = 0;

/** Whether this machine lets a test build a namespace with a veth pair: tried for real, in a namespace removed at once. */
export function netnsSupport(): NetnsSupport {
  if (supportSeen) return supportSeen;
  if (process.platform !== 'linux') return (supportSeen = { supported: false, reason: `network namespaces need Linux, not ${process.platform}` });
  if (process.getuid?.() !== 0) return (supportSeen = { supported: false, reason: 'creating a network namespace needs root' });
  const probe = `globaltables-probe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
  } catch (error) {
    const missing = isMissingCommand(error);
    return (supportSeen = { supported: false, reason: missing ? 'the ip command (iproute2) is not installed' : `ip netns add failed: ${failureText(error)}` });
  }
  try {
    ip('-n', probe, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1');
    supportSeen = { supported: true };
  } catch (error) {
    supportSeen = { supported: false, reason: `a veth pair cannot be created: ${failureText(error)}` };
  } finally {
    ip('netns', 'delete', probe);
  }
  return supportSeen;
}

/** A /30 in 10.213.0.0/16 that no route here covers, starting from one derived from the pid so parallel runs pick different ones. */
function freeSubnet(): { host: string; namespace: string } {
  for (let attempt = 0; attempt < SUBNETS; attempt += 1) {
    const index = (process.pid + created + attempt) % SUBNETS;
    const base = toNumber(`${PREFIX}.0.0`) + index * 4;
    if (subnetInUse(base, 30)) continue;
    const third = (index * 4) >> 8;
    const fourth = (index * 4) & 255;
    return { host: `${PREFIX}.${third}.${fourth + 1}`, namespace: `${PREFIX}.${third}.${fourth + 2}` };
  }
  throw new Error(`every /30 in ${PREFIX}.0.0/16 is in use`);
}

/** Runs inside the namespace: reads the requests as JSON on stdin, answers them as JSON on stdout. */
const FETCH_SCRIPT = `
let input = '';
process.stdin.setEncoding('utf8').on('data', (d) => { input += d; }).on('end', async () => {
  const answers = [];
  for (const r of JSON.parse(input)) {
    const response = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(${TIMEOUT_MS}) });
    answers.push({ status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() });
  }
  process.stdout.write(JSON.stringify(answers));
});`;

/** Operational: both ends report the link up, so the first request does not race the link coming up. */
function linkUp(name: string, hostLink: string): boolean {
  return /state UP/.test(ip('-o', 'link', 'show', hostLink)) && /state UP/.test(ip('-n', name, '-o', 'link', 'show', 'veth0'));
}

/** A new namespace joined to this one by a veth pair, both ends up and addressed. Leaves nothing behind if a step fails. */
export async function createNetns(): Promise<Netns> {
  created += 1;
  const name = `globaltables-test-${process.pid}-${created}`;
  const hostLink = `gt${process.pid}h${created}`; // interface names: at most 15 characters
  const addresses = freeSubnet();
  // Only what this call created is removed: a name taken already is someone else's.
  let namespaceAdded = false;
  let linkAdded = false;
  const removeNow = (): void => {
    try { if (namespaceAdded) ip('netns', 'delete', name); } catch { /* already gone */ }
    try { if (linkAdded) ip('link', 'delete', hostLink); } catch { /* went with the namespace, its pair's other end */ }
  };
  // A test process that dies between here and remove() would otherwise leave the namespace behind.
  process.once('exit', removeNow);
  try {
    ip('netns', 'add', name);
    namespaceAdded = true;
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', 'veth0', 'netns', name);
    linkAdded = true;
    ip('addr', 'add', `${addresses.host}/30`, 'dev', hostLink);
    ip('-n', name, 'addr', 'add', `${addresses.namespace}/30`, 'dev', 'veth0');
    ip('link', 'set', hostLink, 'up');
    ip('-n', name, 'link', 'set', 'veth0', 'up');
    const deadline = Date.now() + TIMEOUT_MS;
    while (!linkUp(name, hostLink)) {
      if (Date.now() > deadline) throw new Error(`the veth pair ${hostLink} of ${name} did not come up`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch (error) {
    process.removeListener('exit', removeNow);
    removeNow();
    throw error;
  }
  const exec = (command: string, args: string[], stdin?: string): Promise<string> => run('ip', ['netns', 'exec', name, command, ...args], stdin);
  return {
    name,
    hostAddress: addresses.host,
    namespaceAddress: addresses.namespace,
    exec,
    async fetch(requests) {
      return JSON.parse(await exec(process.execPath, ['-e', FETCH_SCRIPT], JSON.stringify(requests))) as NetnsResponse[];
    },
    async remove() {
      process.removeListener('exit', removeNow);
      await run('ip', ['netns', 'delete', name]);
    },
  };
}
