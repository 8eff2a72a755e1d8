/**
 * A real region's way to its peers: for each, a fault-injecting TCP proxy in front of the peer's
 * nats-server (the link, on the region's link thread), the worker-thread consumer reading the
 * peer's stream through it, and HTTP to the peer's admin API. Where the peer's nats-server is
 * comes from the peer itself (it may move).
 */
import { every, type Clock } from '../clock/clock.js';
import type { PeerConfig } from '../config/regionConfig.js';
import { ThreadedLink } from '../nats/linkThread.js';
import { NatsChangeSource } from './natsChangeSource.js';
import { HttpPeerTransport } from './peers.js';
import type { PeerConnection, PeerConnectOptions, PeerWiring } from './peerWiring.js';

/** How often a disconnected replicator's peer is asked again where its nats-server is (it may have moved). */
const RESOLVE_INTERVAL_MS = 2000;
/** Until a peer has answered once (it may still be starting), it is asked far more often. */
const FIRST_RESOLVE_INTERVAL_MS = 100;
/** Where a link points before its peer has said where its nats-server is: nothing listens there. */
const UNRESOLVED = { host: '127.0.0.1', port: 9 };

export class NatsWiring implements PeerWiring {
  constructor(private readonly configs: PeerConfig[], private readonly region: string, private readonly clock: Clock, private readonly adminToken?: string) {}

  get peers(): string[] {
    return this.configs.filter((p) => p.name !== this.region).map((p) => p.name);
  }

  async connect(peer: string, options: PeerConnectOptions): Promise<PeerConnection> {
    const config = this.configs.find((p) => p.name === peer)!;
    const transport = new HttpPeerTransport(config, this.adminToken);
    const link = await ThreadedLink.start({ target: UNRESOLVED, name: `${peer}->${this.region}` });
    const changeSource = new NatsChangeSource(link.url, options.source);
    let target: string | undefined;
    let resolving: Promise<void> | undefined;
    /** Points the link at the peer's nats-server, wherever it is now. */
    const resolve = (): Promise<void> => {
      resolving ??= transport.natsUrl().then((found) => {
        const url = new URL(found);
        if (url.href === target) return;
        target = url.href;
        link.setTarget({ host: url.hostname, port: Number(url.port || 4222) });
      }, () => {
        // The peer is not up yet, or moved: asked again while the replicator is disconnected.
      }).finally(() => { resolving = undefined; });
      return resolving;
    };
    // Not awaited: a peer that is slow to answer must not hold up this region's start; the
    // replicator keeps trying the link until it points somewhere.
    void resolve();
    let lastAskedMs = this.clock.trueNowMs();
    const stop = every(this.clock, FIRST_RESOLVE_INTERVAL_MS, () => {
      const due = target === undefined || this.clock.trueNowMs() - lastAskedMs >= RESOLVE_INTERVAL_MS;
      if (options.connected() || !due) return;
      lastAskedMs = this.clock.trueNowMs();
      void resolve();
    });
    return {
      link,
      changeSource,
      transport,
      async close() {
        stop();
        await link.close();
      },
    };
  }
}
