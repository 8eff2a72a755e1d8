/**
 * How a region reaches each peer: the link its changes travel, the change source that reads them,
 * and the transport of the region-to-region protocol. Real (natsWiring.ts): a TCP proxy in front of
 * the peer's nats-server, a worker-thread consumer through it, HTTP. Simulated (src/sim/wiring.ts):
 * the simulated network's link, the peer's in-memory stream read through it, in-process calls.
 */
import type { Link } from '../nats/link.js';
import type { ChangeSource, ChangeSourceOptions } from './changeSource.js';
import type { PeerTransport } from './peerTransport.js';

export interface PeerConnection {
  /** Carries the peer's changes to this region: the fault target of /admin/links/<peer>. */
  link: Link;
  changeSource: ChangeSource;
  transport: PeerTransport;
  /** Stops whatever the connection runs (the change source is stopped by its replicator). */
  close(): Promise<void>;
}

export interface PeerConnectOptions {
  source: ChangeSourceOptions;
  /** True while the pair's replicator is connected (until then a real wiring keeps asking where the peer's stream is). */
  connected(): boolean;
}

export interface PeerWiring {
  /** The other regions this one replicates with. */
  readonly peers: string[];
  connect(peer: string, options: PeerConnectOptions): Promise<PeerConnection>;
}
