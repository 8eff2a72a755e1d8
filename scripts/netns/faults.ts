/**
 * Faults made by the kernel, not by a region: netem on both ends of a region's link (so what it
 * sends and what it receives are impaired alike), and a partition that takes the region's port
 * on the bridge out of forwarding — every packet to or from it is dropped silently, as a cut cable
 * or a firewall would, and each side's TCP keeps retransmitting until the port forwards again.
 */
import { ip } from './ip.js';
import type { Network, NetworkHost } from './network.js';

export interface NetemSpec {
  delayMs?: number;
  /** ± around delayMs, uniformly. */
  jitterMs?: number;
  lossPercent?: number;
  duplicatePercent?: number;
  /** netem reorders only packets it would otherwise delay: a reorder needs delayMs. */
  reorderPercent?: number;
}

export class NetemSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetemSpecError';
  }
}

/** The arguments after `netem`. */
export function netemArgs(spec: NetemSpec): string[] {
  const args: string[] = [];
  if (spec.reorderPercent && !spec.delayMs) throw new NetemSpecError('netem reorders by sending some packets without the delay: a reorder needs a delay');
  if (spec.delayMs) args.push('delay', `${spec.delayMs}ms`, ...(spec.jitterMs ? [`${spec.jitterMs}ms`] : []));
  if (spec.lossPercent) args.push('loss', `${spec.lossPercent}%`);
  if (spec.duplicatePercent) args.push('duplicate', `${spec.duplicatePercent}%`);
  if (spec.reorderPercent) args.push('reorder', `${spec.reorderPercent}%`);
  if (!args.length) throw new NetemSpecError('a netem fault needs at least one impairment');
  return args;
}

/** Bridge port states (the kernel's BR_STATE_*). */
const PORT_DISABLED = '0';
const PORT_FORWARDING = '3';
const PORT_STATE_NAMES: Record<string, string> = { [PORT_DISABLED]: 'disabled', [PORT_FORWARDING]: 'forwarding' };

export interface KernelFaults {
  /** Puts netem on the region's link, both ways; replaces what netem was there. */
  impair(region: string, spec: NetemSpec): void;
  /** Removes netem from the region's link. */
  restore(region: string): void;
  /** Drops every packet to and from the region. */
  partition(region: string): void;
  heal(region: string): void;
  /** Restores and heals every region: what a test does on its way out. */
  clearAll(): void;
}

export function kernelFaults(network: Network): KernelFaults {
  const impaired = new Set<string>();
  const partitioned = new Set<string>();
  // The region's side (what it sends) and the bridge's side of the same pair (what it receives).
  const ends = (host: NetworkHost): [string, string][] => [[host.namespace, host.link], [network.bridgeNamespace, host.bridgePort]];
  const setPort = (host: NetworkHost, state: string): void => {
    // `bridge`, not `ip link set … type bridge_slave state`: the latter answers 0 and leaves the state as it was.
    ip('netns', 'exec', network.bridgeNamespace, 'bridge', 'link', 'set', 'dev', host.bridgePort, 'state', state);
    const shown = ip('-n', network.bridgeNamespace, '-d', 'link', 'show', host.bridgePort);
    if (!shown.includes(`state ${PORT_STATE_NAMES[state]}`)) throw new Error(`the bridge port ${host.bridgePort} did not take the state ${PORT_STATE_NAMES[state]}: ${shown}`);
  };
  const faults: KernelFaults = {
    impair(region, spec) {
      const args = netemArgs(spec);
      for (const [namespace, link] of ends(network.host(region))) {
        ip('-n', namespace, 'link', 'show', link); // a missing link fails here, not as a tc message
        tc(namespace, ['qdisc', 'replace', 'dev', link, 'root', 'netem', ...args]);
      }
      impaired.add(region);
    },
    restore(region) {
      if (!impaired.delete(region)) return;
      for (const [namespace, link] of ends(network.host(region))) tc(namespace, ['qdisc', 'del', 'dev', link, 'root']);
    },
    partition(region) {
      setPort(network.host(region), PORT_DISABLED);
      partitioned.add(region);
    },
    heal(region) {
      if (!partitioned.delete(region)) return;
      setPort(network.host(region), PORT_FORWARDING);
    },
    clearAll() {
      for (const region of [...impaired]) faults.restore(region);
      for (const region of [...partitioned]) faults.heal(region);
    },
  };
  return faults;
}

/** tc inside a namespace (tc has no -n of its own in every version: ip netns exec does it). */
function tc(namespace: string, args: string[]): void {
  ip('netns', 'exec', namespace, 'tc', ...args);
}
