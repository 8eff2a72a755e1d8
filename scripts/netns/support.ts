/** Whether this machine can run the namespace cluster, and netem faults on it; each says why not, so a test can skip and a script can exit. */
import { findNatsServer, NatsServerNotFoundError } from '../../src/nats/launcher.js';
import { failureText, ip, isMissingCommand } from './ip.js';
import { NAMESPACE_PREFIX } from './network.js';

export type Support = { supported: true } | { supported: false; reason: string };

let clusterSeen: Support | undefined;
let netemSeen: Support | undefined;

/** Runs `probe` in a namespace removed at once (named like the cluster's, so a sweep finds it if this process dies). */
function inProbeNamespace(probe: (namespace: string) => Support): Support {
  const namespace = `${NAMESPACE_PREFIX}${process.pid}-probe`;
  try {
    ip('netns', 'add', namespace);
  } catch (error) {
    return { supported: false, reason: isMissingCommand(error) ? 'the ip command (iproute2) is not installed' : `ip netns add failed: ${failureText(error)}` };
  }
  try {
    return probe(namespace);
  } finally {
    ip('netns', 'delete', namespace);
  }
}

function platformSupport(): Support {
  if (process.platform !== 'linux') return { supported: false, reason: `network namespaces need Linux, not ${process.platform}` };
  if (process.getuid?.() !== 0) return { supported: false, reason: 'creating network namespaces needs root' };
  return { supported: true };
}

/** Namespaces, veth pairs, a bridge whose port states can be set (the partition), and a nats-server: tried for real. */
export function netnsClusterSupport(): Support {
  if (clusterSeen) return clusterSeen;
  const platform = platformSupport();
  if (!platform.supported) return (clusterSeen = platform);
  try {
    findNatsServer();
  } catch (error) {
    if (error instanceof NatsServerNotFoundError) return (clusterSeen = { supported: false, reason: error.message });
    throw error;
  }
  clusterSeen = inProbeNamespace((namespace) => {
    try {
      ip('-n', namespace, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1');
      ip('-n', namespace, 'link', 'add', 'br0', 'type', 'bridge');
      ip('-n', namespace, 'link', 'set', 'probe0', 'master', 'br0', 'up');
    } catch (error) {
      return { supported: false, reason: `a veth pair on a bridge cannot be created: ${failureText(error)}` };
    }
    try {
      ip('netns', 'exec', namespace, 'bridge', 'link', 'set', 'dev', 'probe0', 'state', '0');
    } catch (error) {
      return { supported: false, reason: `a bridge port cannot be disabled (the partition needs the bridge command of iproute2): ${failureText(error)}` };
    }
    return { supported: true };
  });
  return clusterSeen;
}

/** tc with the netem queueing discipline (the kernel's sch_netem), which the delay, loss, duplication and reordering faults need. */
export function netemSupport(): Support {
  if (netemSeen) return netemSeen;
  const platform = platformSupport();
  if (!platform.supported) return (netemSeen = platform);
  netemSeen = inProbeNamespace((namespace) => {
    try {
      ip('-n', namespace, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1');
      ip('netns', 'exec', namespace, 'tc', 'qdisc', 'add', 'dev', 'probe0', 'root', 'netem', 'delay', '1ms');
      return { supported: true };
    } catch (error) {
      const text = failureText(error);
      if (/exec of "tc" failed/.test(text)) return { supported: false, reason: 'the tc command (iproute2) is not installed' };
      if (/qdisc kind is unknown/i.test(text)) return { supported: false, reason: `this kernel has no netem queueing discipline (sch_netem; tc says: ${text})` };
      return { supported: false, reason: `tc cannot add netem: ${text}` };
    }
  });
  return netemSeen;
}
