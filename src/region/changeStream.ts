/** A region's change stream: its nats-server (embedded or given) and the bus connection the publisher uses. */
import { join } from 'node:path';
import type { ChangeBus } from '../bus/changeBus.js';
import { NatsChangeBus } from '../bus/natsBus.js';
import { NATS_MAX_PAYLOAD_BYTES, NatsMaxPayloadTooSmallError } from '../bus/wireLimits.js';
import { startNatsServer, type NatsServerOptions, type RunningNatsServer } from '../nats/launcher.js';

export interface ChangeStreamOptions {
  /** Connect to this server instead of starting one. */
  natsUrl?: string;
  /** Where an embedded server keeps its JetStream store (default: <data dir>/nats). */
  storeDir?: string;
  /** Client port of an embedded server (default: a free one). */
  natsPort?: number;
  /** Encrypts an embedded server's JetStream store with this key (a given server keeps its store as it is configured to). */
  jetstreamKey?: string;
}

export interface RunningChangeStream {
  natsUrl: string;
  /** The embedded nats-server as a fault target (absent when connected to a given server). */
  nats?: EmbeddedNats;
  bus: ChangeBus;
  close(): Promise<void>;
}

/** What the admin API may do to a region's embedded nats-server. */
export interface EmbeddedNats {
  readonly pid: number | undefined;
  readonly running: boolean;
  kill(hold: boolean): Promise<void>;
  start(): Promise<void>;
}

/**
 * Keeps an embedded nats-server running: one that dies (a crash, a SIGKILL in a fault test) is
 * started again on the same port and store, so publishers and replicators reconnect by themselves.
 */
class SupervisedNatsServer implements EmbeddedNats {
  private closing = false;
  /** Set while a fault keeps the server down on purpose. */
  private held = false;

  private constructor(private server: RunningNatsServer, private readonly options: NatsServerOptions, private readonly log: (message: string) => void) {
    this.watch();
  }

  static async start(options: NatsServerOptions, log: (message: string) => void): Promise<SupervisedNatsServer> {
    return new SupervisedNatsServer(await startNatsServer(options), options, log);
  }

  get url(): string {
    return this.server.url;
  }

  get pid(): number | undefined {
    return this.server.process.pid;
  }

  /** SIGKILL, as a crash would; with `hold` it stays down until start(). */
  async kill(hold: boolean): Promise<void> {
    this.held = hold;
    await this.server.kill();
  }

  /** Starts a server held down by kill(hold). */
  async start(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.restart();
  }

  get running(): boolean {
    return this.server.process.exitCode === null && this.server.process.signalCode === null;
  }

  private watch(): void {
    this.server.process.once('exit', (code, signal) => {
      if (this.closing || this.held) return;
      this.log(`embedded nats-server exited (${signal ?? `code ${code}`}); starting it again on port ${this.server.port}`);
      void this.restart();
    });
  }

  private async restart(): Promise<void> {
    while (!this.closing) {
      try {
        this.server = await startNatsServer({ ...this.options, port: this.server.port });
        if (this.closing) await this.server.stop();
        else this.watch();
        return;
      } catch (error) {
        this.log(`embedded nats-server did not start: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async stop(): Promise<void> {
    this.closing = true;
    await this.server.stop();
  }
}

/** Starts (or connects to) the region's nats-server and its bus; the publisher runs on it (publishing.ts). */
export async function startChangeStream(region: string, options: ChangeStreamOptions & { dataDir?: string }): Promise<RunningChangeStream> {
  const log = (message: string): void => console.error(`[${region}] ${message}`);
  let server: SupervisedNatsServer | undefined;
  if (!options.natsUrl) {
    const storeDir = options.storeDir ?? (options.dataDir ? join(options.dataDir, 'nats') : undefined);
    if (!storeDir) throw new Error('an embedded nats-server needs a store directory');
    server = await SupervisedNatsServer.start({ storeDir, port: options.natsPort, name: `globaltables-${region}`, jetstreamKey: options.jetstreamKey }, log);
  } else if (options.jetstreamKey !== undefined) {
    log(`warning: the change log goes to ${options.natsUrl}, whose JetStream store this region cannot encrypt ` +
      '(only that server\'s own configuration can: jetstream { key, cipher }); tables report no SSEDescription');
  }
  const natsUrl = options.natsUrl ?? server!.url;
  const bus = await NatsChangeBus.connect({ url: natsUrl, region });
  // A server that cannot take the largest valid item's change would stop the stream at the first one.
  const maxPayload = bus.maxMessageBytes();
  if (maxPayload !== undefined && maxPayload < NATS_MAX_PAYLOAD_BYTES) {
    await bus.close();
    await server?.stop();
    throw new NatsMaxPayloadTooSmallError(natsUrl, maxPayload);
  }
  return {
    natsUrl,
    ...(server ? { nats: server } : {}),
    bus,
    async close() {
      await bus.close();
      await server?.stop();
    },
  };
}
