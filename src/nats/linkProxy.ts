/** A TCP proxy in front of a region's nats-server whose latency, jitter, stall and reset are set at run time. */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { HEALTHY, updatedSettings, type Link, type LinkSettings, type LinkStats } from './link.js';

export { LinkSettingsError, type LinkSettings, type LinkStats } from './link.js';

/** host defaults to 127.0.0.1, port to 0 (a free one), random (for jitter) to Math.random. */
export interface LinkProxyOptions { target: { host: string; port: number }; host?: string; port?: number; name: string; random?: () => number }

/** Past this many held bytes in one direction the reading side is paused, so a stalled link cannot exhaust memory. */
const HELD_BYTES_HIGH = 4 * 1024 * 1024;

/** What every pipe of one link reads and counts. */
interface Shared { settings: LinkSettings; random: () => number; stats: LinkStats }

interface HeldChunk { chunk: Buffer; deliverAtMs: number }

/** One direction of one connection. Latency and jitter apply downstream only: that is where replication data travels. */
class Pipe {
  to: Socket | null = null;
  private readonly held: HeldChunk[] = [];
  private heldBytes = 0;
  private lastDeliverAtMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private blocked = false;
  private paused = false;
  private sourceEnded = false;

  constructor(private readonly from: Socket, private readonly downstream: boolean, private readonly shared: Shared) {
    from.on('data', (chunk: Buffer) => this.receive(chunk));
    from.on('end', () => this.finish());
  }

  private receive(chunk: Buffer): void {
    const { settings } = this.shared;
    const delayMs = this.downstream ? settings.latencyMs + (settings.jitterMs > 0 ? this.shared.random() * settings.jitterMs : 0) : 0;
    // Hot path of replication: no timer, no copy, no allocation.
    if (delayMs === 0 && this.held.length === 0 && !settings.stalled && this.to) return this.write(chunk);
    const deliverAtMs = Math.max(performance.now() + delayMs, this.lastDeliverAtMs);
    this.lastDeliverAtMs = deliverAtMs;
    this.held.push({ chunk, deliverAtMs });
    this.heldBytes += chunk.length;
    this.shared.stats.heldBytes += chunk.length;
    this.updateFlow();
    this.schedule();
  }

  private write(chunk: Buffer): void {
    const to = this.to!;
    if (!to.writable) return;
    this.shared.stats[this.downstream ? 'bytesDownstream' : 'bytesUpstream'] += chunk.length;
    if (!to.write(chunk) && !this.blocked) {
      this.blocked = true;
      this.updateFlow();
      to.once('drain', () => {
        this.blocked = false;
        this.updateFlow();
      });
    }
  }

  /** The FIN travels behind the held bytes, so a delayed close never overtakes data. */
  private finish(): void {
    this.sourceEnded = true;
    this.flush(false);
  }

  /** Delivers what is due (everything when forced), unless stalled or not yet connected. */
  flush(force: boolean): void {
    if (!this.to || this.shared.settings.stalled) return;
    this.clearTimer();
    const nowMs = performance.now();
    let delivered = 0;
    while (this.held.length > 0 && (force || this.held[0].deliverAtMs <= nowMs)) {
      const { chunk } = this.held.shift()!;
      delivered += chunk.length;
      this.write(chunk);
    }
    this.heldBytes -= delivered;
    this.shared.stats.heldBytes -= delivered;
    if (this.sourceEnded && this.held.length === 0 && this.to.writable) this.to.end();
    this.updateFlow();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.held.length === 0 || !this.to || this.shared.settings.stalled) return;
    const waitMs = Math.max(0, Math.ceil(this.held[0].deliverAtMs - performance.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush(false);
    }, waitMs);
    this.timer.unref();
  }

  private updateFlow(): void {
    const pause = this.blocked || this.heldBytes >= HELD_BYTES_HIGH;
    if (pause === this.paused) return;
    this.paused = pause;
    if (pause) this.from.pause();
    else this.from.resume();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The connection is gone: held bytes can never be delivered. */
  discard(): void {
    this.clearTimer();
    this.shared.stats.heldBytes -= this.heldBytes;
    this.heldBytes = 0;
    this.held.length = 0;
  }
}

class Connection {
  private server: Socket | null = null;
  private readonly upstream: Pipe;
  private downstream: Pipe | null = null;
  private closed = false;

  constructor(private readonly client: Socket, private readonly shared: Shared, private readonly onClose: (connection: Connection) => void) {
    client.setNoDelay(true);
    this.upstream = new Pipe(client, false, shared);
    client.on('error', () => this.destroy(false));
    client.on('close', () => this.closedCleanly());
  }

  /** Connecting is deferred while stalled: in a partition the SYN would not reach the server either. */
  dial(target: { host: string; port: number }): void {
    if (this.server || this.closed) return;
    const server = createConnection({ host: target.host, port: target.port, allowHalfOpen: true });
    this.server = server;
    server.setNoDelay(true);
    this.downstream = new Pipe(server, true, this.shared);
    this.downstream.to = this.client;
    server.once('connect', () => {
      this.upstream.to = server;
      this.upstream.flush(false);
    });
    server.on('error', () => this.destroy(false));
    server.on('close', () => this.closedCleanly());
  }

  flush(force: boolean): void {
    this.upstream.flush(force);
    this.downstream?.flush(force);
  }

  /** Half-closes travel through the pipes; the connection is over once both sockets are closed. */
  private closedCleanly(): void {
    if (this.client.destroyed && (this.server === null || this.server.destroyed)) this.destroy(false);
  }

  /** With hardReset the peers get an RST, as when a middlebox drops the connection state. */
  destroy(hardReset: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.upstream.discard();
    this.downstream?.discard();
    for (const socket of [this.client, this.server]) {
      if (!socket || socket.destroyed) continue;
      if (hardReset && !socket.connecting) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.onClose(this);
  }
}

export class LinkProxy implements Link {
  readonly url: string;
  private readonly shared: Shared;
  private readonly open = new Set<Connection>();
  private target: { host: string; port: number };
  private closing: Promise<void> | null = null;

  private constructor(private readonly server: Server, readonly name: string, readonly port: number, host: string, options: LinkProxyOptions) {
    this.url = `nats://${host}:${port}`;
    this.target = { ...options.target };
    this.shared = {
      settings: { ...HEALTHY },
      random: options.random ?? Math.random,
      stats: { connections: 0, openConnections: 0, bytesUpstream: 0, bytesDownstream: 0, resets: 0, heldBytes: 0 },
    };
    server.on('connection', (client: Socket) => this.accept(client));
  }

  static async start(options: LinkProxyOptions): Promise<LinkProxy> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new LinkProxy(server, options.name, port, host, options);
  }

  get settings(): LinkSettings {
    return { ...this.shared.settings };
  }

  update(settings: Partial<LinkSettings>): LinkSettings {
    const wasStalled = this.shared.settings.stalled;
    this.shared.settings = updatedSettings(this.name, this.shared.settings, settings);
    if (wasStalled && !this.shared.settings.stalled) this.release(false);
    return this.settings;
  }

  reset(): void {
    for (const connection of [...this.open]) {
      this.shared.stats.resets += 1;
      connection.destroy(true);
    }
  }

  heal(): LinkSettings {
    this.shared.settings = { ...HEALTHY };
    this.release(true);
    return this.settings;
  }

  stats(): LinkStats {
    return { ...this.shared.stats, openConnections: this.open.size };
  }

  setTarget(target: { host: string; port: number }): void {
    this.target = { ...target };
    this.reset();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const connection of [...this.open]) connection.destroy(false);
    });
    return this.closing;
  }

  private accept(client: Socket): void {
    if (this.closing) return void client.destroy();
    this.shared.stats.connections += 1;
    const connection = new Connection(client, this.shared, (closed) => this.open.delete(closed));
    this.open.add(connection);
    if (!this.shared.settings.stalled) connection.dial(this.target);
  }

  private release(force: boolean): void {
    for (const connection of this.open) {
      connection.dial(this.target);
      connection.flush(force);
    }
  }
}
