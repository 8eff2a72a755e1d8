/**
 * A private network of namespaces, as hosts on one switch: a bridge in a namespace of its own, one
 * namespace per region joined to it by a veth pair, and a veth pair from here to the bridge so this
 * process reaches every region at its address. Addresses are private (a free /24 in 10.214.0.0/16)
 * and exist only on links created here. Names carry a fixed prefix and this pid, so parallel runs
 * do not clash and a later run removes what a killed one left behind (sweepStaleNetworks).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { ip, run, subnetInUse, toAddress, toNumber } from './ip.js';

export const NAMESPACE_PREFIX = 'gtnet-';
/** Interface names have at most 15 characters: gtn<pid>x<n>. */
const HOST_LINK_PREFIX = 'gtn';
const SUBNET_PREFIX = '10.214';
const LINK_UP_TIMEOUT_MS = 10_000;

export interface NetworkHost {
  /** The region this host runs. */
  name: string;
  namespace: string;
  address: string;
  /** Its interface, inside its namespace. */
  link: string;
  /** The bridge's port toward it, inside the bridge's namespace. */
  bridgePort: string;
}

export interface Network {
  /** e.g. 10.214.7.0/24 */
  subnet: string;
  /** This process's address on the bridge. */
  hostAddress: string;
  bridgeNamespace: string;
  hosts: NetworkHost[];
  host(name: string): NetworkHost;
  /** Starts a program inside a host's namespace (`ip netns exec` replaces itself with it: the pid is the program's). */
  spawnIn(name: string, command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** Runs a program inside a namespace to its end; resolves with its stdout. */
  execIn(namespace: string, command: string, args: string[], stdin?: string, options?: { cwd?: string; timeoutMs?: number }): Promise<string>;
  /** Kills whatever still runs in the namespaces, deletes them and the link here. Safe to call twice. */
  remove(): void;
}

let created = 0;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Namespace deletion does not end the processes inside: they are killed first, so none outlives its network. */
function removeNamespace(namespace: string): void {
  try {
    for (const pid of ip('netns', 'pids', namespace).split('\n').filter(Boolean).map(Number)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* exited meanwhile */ }
    }
    ip('netns', 'delete', namespace);
  } catch { /* already gone */ }
}

/**
 * Removes the namespaces and the host links of the process `pid` (of one of its networks, given
 * `network`), found by name, not by a list of what was created: a step interrupted half-way (Ctrl-C
 * reaches `ip` too) may have made one that no list holds.
 */
export function removeNetworksOf(pid: number, network?: number): string[] {
  const own = network === undefined ? `${pid}-` : `${pid}-${network}-`;
  const removed: string[] = [];
  // The links here first: their addresses and routes go at once, not whenever the kernel gets to a deleted namespace.
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const link = new RegExp(`^\\d+: (${HOST_LINK_PREFIX}(\\d+)x(\\d+))[@:]`).exec(line);
    if (link && Number(link[2]) === pid && (network === undefined || Number(link[3]) === network)) {
      try { ip('link', 'delete', link[1]); removed.push(link[1]); } catch { /* went with its namespace */ }
    }
  }
  for (const namespace of ip('netns', 'list').split('\n').map((line) => line.split(' ')[0])) {
    if (!namespace.startsWith(`${NAMESPACE_PREFIX}${own}`)) continue;
    removeNamespace(namespace);
    removed.push(namespace);
  }
  return removed;
}

/** Removes the networks of runs whose process is gone (killed before it could clean up). */
export function sweepStaleNetworks(): string[] {
  const owners = new Set<number>();
  for (const namespace of ip('netns', 'list').split('\n').map((line) => line.split(' ')[0])) {
    const owner = new RegExp(`^${NAMESPACE_PREFIX}(\\d+)-`).exec(namespace);
    if (owner) owners.add(Number(owner[1]));
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const link = new RegExp(`^\\d+: ${HOST_LINK_PREFIX}(\\d+)x\\d+[@:]`).exec(line);
    if (link) owners.add(Number(link[1]));
  }
  return [...owners].filter((pid) => !isAlive(pid)).flatMap((pid) => removeNetworksOf(pid));
}

/** A /24 in 10.214.0.0/16 that no route here covers, starting from one derived from the pid so parallel runs pick different ones. */
function freeSubnet(): number {
  for (let attempt = 0; attempt < 256; attempt += 1) {
    const base = toNumber(`${SUBNET_PREFIX}.0.0`) + ((process.pid + created + attempt) % 256) * 256;
    if (!subnetInUse(base, 24)) return base;
  }
  throw new Error(`every /24 in ${SUBNET_PREFIX}.0.0/16 is in use`);
}

function linksUp(network: Network, hostLink: string): boolean {
  const up = (args: string[]): boolean => /state UP/.test(ip(...args));
  return up(['-o', 'link', 'show', hostLink])
    && network.hosts.every((h) => up(['-n', h.namespace, '-o', 'link', 'show', h.link]) && up(['-n', network.bridgeNamespace, '-o', 'link', 'show', h.bridgePort]));
}

/** Builds the network for the named regions (addresses .11, .12, … in order); leaves nothing behind if a step fails. */
export async function createNetwork(names: string[]): Promise<Network> {
  created += 1;
  const index = created;
  const tag = `${process.pid}-${index}`;
  const hostLink = `${HOST_LINK_PREFIX}${process.pid}x${index}`;
  const base = freeSubnet();
  const bridgeNamespace = `${NAMESPACE_PREFIX}${tag}-bridge`;
  const hosts: NetworkHost[] = names.map((name, i) => ({
    name, namespace: `${NAMESPACE_PREFIX}${tag}-${name}`, address: toAddress(base + 11 + i), link: 'eth0', bridgePort: `port${i}`,
  }));
  let removed = false;
  const removeNow = (): void => {
    if (removed) return;
    removed = true;
    process.removeListener('exit', removeNow);
    removeNetworksOf(process.pid, index);
  };
  // A process that dies before remove() would otherwise leave the namespaces and their processes behind.
  process.once('exit', removeNow);
  const addNamespace = (namespace: string): void => {
    ip('netns', 'add', namespace);
    ip('-n', namespace, 'link', 'set', 'lo', 'up');
  };
  const network: Network = {
    subnet: `${toAddress(base)}/24`,
    hostAddress: toAddress(base + 1),
    bridgeNamespace,
    hosts,
    host(name) {
      const found = hosts.find((h) => h.name === name);
      if (!found) throw new Error(`no host ${name} in the network (${names.join(', ')})`);
      return found;
    },
    spawnIn(name, command, args, options = {}) {
      return spawn('ip', ['netns', 'exec', network.host(name).namespace, command, ...args], options);
    },
    execIn(namespace, command, args, stdin, options) {
      return run('ip', ['netns', 'exec', namespace, command, ...args], stdin, options);
    },
    remove: removeNow,
  };
  try {
    addNamespace(bridgeNamespace);
    ip('-n', bridgeNamespace, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', bridgeNamespace, 'link', 'set', 'br0', 'up');
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', 'uplink', 'netns', bridgeNamespace);
    ip('-n', bridgeNamespace, 'link', 'set', 'uplink', 'master', 'br0', 'up');
    ip('addr', 'add', `${network.hostAddress}/24`, 'dev', hostLink);
    ip('link', 'set', hostLink, 'up');
    for (const host of hosts) {
      addNamespace(host.namespace);
      ip('-n', bridgeNamespace, 'link', 'add', host.bridgePort, 'type', 'veth', 'peer', 'name', host.link, 'netns', host.namespace);
      ip('-n', bridgeNamespace, 'link', 'set', host.bridgePort, 'master', 'br0', 'up');
      ip('-n', host.namespace, 'addr', 'add', `${host.address}/24`, 'dev', host.link);
      ip('-n', host.namespace, 'link', 'set', host.link, 'up');
    }
    const deadline = Date.now() + LINK_UP_TIMEOUT_MS;
    while (!linksUp(network, hostLink)) {
      if (Date.now() > deadline) throw new Error(`the links of ${network.subnet} did not come up`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch (error) {
    removeNow();
    throw error;
  }
  return network;
}
