/**
 * npm run netns-cluster [-- --check]
 * Three regions on three hosts of a real network (network namespaces on a bridge, Linux and root
 * only), each with its own nats-server, started as docker-compose.yml starts them. Prints the
 * endpoints and runs until Ctrl-C; with --check it runs the kernel fault sequence once and exits
 * 0 when every check held, 1 otherwise. Everything it created is removed on the way out.
 */
import { checkDelay, checkLossy, checkPartition, createNetnsGlobalTable } from './netns/checks.js';
import { startNetnsCluster, type NetnsCluster } from './netns/cluster.js';
import { removeNetworksOf } from './netns/network.js';
import { netemSupport, netnsClusterSupport } from './netns/support.js';

const check = process.argv.includes('--check');
const support = netnsClusterSupport();
if (!support.supported) {
  console.error(`netns-cluster cannot run here: ${support.reason}`);
  process.exit(1);
}

let cluster: NetnsCluster | undefined;
let stopping = false;
async function stopAndExit(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await cluster?.stop();
  }
  process.exit(code);
}
// Before the cluster exists, exiting is enough: what runs in this run's namespaces is killed with them,
// found by name (a Ctrl-C that interrupted an `ip` call may have left one no list holds).
process.once('exit', () => removeNetworksOf(process.pid));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAndExit(130));

function describeCluster(running: NetnsCluster): void {
  console.log(`network ${running.network.subnet} (bridge in namespace ${running.network.bridgeNamespace}; this host is ${running.network.hostAddress})`);
  for (const region of running.regions) {
    console.log(`  ${region.name.padEnd(15)} ${region.endpoint}   nats ${region.natsUrl}   namespace ${region.namespace}`);
  }
  console.log(`admin token: ${running.adminToken}`);
}

async function runChecks(running: NetnsCluster): Promise<void> {
  const table = `netns-check-${process.pid}`;
  await createNetnsGlobalTable(running, table);
  console.log(`global table ${table} in ${running.regions.map((r) => r.name).join(', ')}`);
  const netem = netemSupport();
  if (netem.supported) {
    console.log('delay 80 ± 20 ms on eu-west-1:', JSON.stringify(await checkDelay(running, table, { region: 'eu-west-1', delayMs: 80, jitterMs: 20, writesPerRegion: 40 })));
    const spec = { delayMs: 10, lossPercent: 10, duplicatePercent: 5, reorderPercent: 25 };
    console.log('loss 10%, duplicate 5%, reorder 25% on ap-southeast-2:', JSON.stringify(await checkLossy(running, table, { region: 'ap-southeast-2', spec, writesPerRegion: 40 })));
  } else {
    console.log(`delay, loss, duplication and reordering skipped: ${netem.reason}`);
  }
  console.log('partition of ap-southeast-2:', JSON.stringify(await checkPartition(running, table, { region: 'ap-southeast-2', otherSide: 'us-east-1', sharedKeys: 10, ownKeys: 10, rounds: 3 })));
}

try {
  cluster = await startNetnsCluster();
  describeCluster(cluster);
  if (check) {
    await runChecks(cluster);
    console.log('every check held');
    await stopAndExit(0);
  }
  console.log('e.g.  aws dynamodb list-tables --endpoint-url', cluster.regions[0].endpoint);
  console.log('Ctrl-C stops the regions and removes the network.');
} catch (error) {
  console.error((error as Error).message);
  await stopAndExit(1);
}
