/**
 * The namespace cluster for tests: three regions on three hosts of a real network (scripts/netns/),
 * whether this machine can run it and its netem faults (each with the reason why not, for a skip
 * message), and what a stopped cluster must have left behind: nothing.
 */
import { execFileSync } from 'node:child_process';
import { startNetnsCluster, type NetnsCluster } from '../../scripts/netns/cluster.js';
import { NAMESPACE_PREFIX } from '../../scripts/netns/network.js';
import { netemSupport, netnsClusterSupport, type Support } from '../../scripts/netns/support.js';
import { isAlive } from './processes.js';

export { startNetnsCluster, netemSupport, netnsClusterSupport, type NetnsCluster, type Support };

/** Warns once why a part is skipped, and says whether it runs. */
export function runsHere(what: string, support: Support): boolean {
  if (!support.supported) console.warn(`${what}: skipping: ${support.reason}`);
  return support.supported;
}

/** The pids of every process in the cluster's namespaces, taken while it runs. */
export function processesIn(cluster: NetnsCluster): number[] {
  const namespaces = [cluster.network.bridgeNamespace, ...cluster.network.hosts.map((h) => h.namespace)];
  return namespaces.flatMap((ns) => execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number));
}

/** What of a stopped cluster is still there: its namespaces, addresses on this machine, live processes. */
export function leftBehind(cluster: NetnsCluster, pids: number[]): string[] {
  const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]).filter((ns) => ns.startsWith(`${NAMESPACE_PREFIX}${process.pid}-`));
  const subnet = cluster.network.subnet.replace(/\.0\/24$/, '.');
  const addresses = execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(` ${subnet}`));
  return [...namespaces, ...addresses, ...pids.filter(isAlive).map((pid) => `process ${pid}`)];
}
