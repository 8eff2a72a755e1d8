/**
 * A simulated region's way to its peers: the simulated network's link (the fault target the admin
 * API shows), the peer's in-memory stream read through the network, and in-process calls of the
 * peer's handlers through the network. A crash kills every change source at once.
 */
import type { Clock } from '../clock/clock.js';
import type { ApplyTally } from '../replication/apply.js';
import type { ChangeSource } from '../replication/changeSource.js';
import type { PeerHandlers } from '../replication/peerHandlers.js';
import type { PeerConnection, PeerConnectOptions, PeerWiring } from '../replication/peerWiring.js';
import { SimChangeSource } from './changeSource.js';
import type { SimBus } from './bus.js';
import type { SimNetwork } from './network.js';
import { SimPeerTransport } from './peerTransport.js';

/** What a region's wiring needs of the cluster it runs in. */
export interface SimCluster {
  readonly net: SimNetwork;
  regionNames(): string[];
  busOf(region: string): SimBus;
  handlersOf(region: string): PeerHandlers | undefined;
  applied(source: string, target: string, tally: ApplyTally): void;
  trace(...parts: (string | number)[]): void;
  log(line: string): void;
}

export class SimWiring implements PeerWiring {
  private readonly sources: ChangeSource[] = [];

  constructor(private readonly cluster: SimCluster, private readonly region: string, private readonly clock: Clock) {}

  get peers(): string[] {
    return this.cluster.regionNames().filter((name) => name !== this.region);
  }

  async connect(peer: string, options: PeerConnectOptions): Promise<PeerConnection> {
    const { net } = this.cluster;
    const changeSource = new SimChangeSource({
      ...options.source, target: this.region, bus: this.cluster.busOf(peer), net, clock: this.clock,
    });
    this.sources.push(changeSource);
    const transport = new SimPeerTransport({
      from: this.region, to: peer, net, clock: this.clock, handlers: () => this.cluster.handlersOf(peer),
    });
    return { link: net.link(peer, this.region), changeSource, transport, close: async () => {} };
  }

  /** The region crashed: nothing it was reading may reach it any more. */
  kill(): void {
    for (const source of this.sources) void source.stop();
  }
}
