/** A region's change stream: its nats-server (embedded or given), the bus connection and the publisher. */
import { join } from 'node:path';
import { NatsChangeBus } from '../bus/natsBus.js';
import { Publisher } from '../bus/publisher.js';
import type { RegionContext } from '../dynamo/context.js';
import { startNatsServer, type RunningNatsServer } from '../nats/launcher.js';

export interface ChangeStreamOptions {
  /** Connect to this server instead of starting one. */
  natsUrl?: string;
  /** Where an embedded server keeps its JetStream store (default: <data dir>/nats). */
  storeDir?: string;
  /** Client port of an embedded server (default: a free one). */
  natsPort?: number;
}

export interface RunningChangeStream {
  natsUrl: string;
  publisher: Publisher;
  close(): Promise<void>;
}

export async function startChangeStream(ctx: RegionContext, options: ChangeStreamOptions & { dataDir?: string }): Promise<RunningChangeStream> {
  let server: RunningNatsServer | undefined;
  if (!options.natsUrl) {
    const storeDir = options.storeDir ?? (options.dataDir ? join(options.dataDir, 'nats') : undefined);
    if (!storeDir) throw new Error('an embedded nats-server needs a store directory');
    server = await startNatsServer({ storeDir, port: options.natsPort, name: `globaltables-${ctx.region}` });
  }
  const natsUrl = options.natsUrl ?? server!.url;
  const bus = await NatsChangeBus.connect({ url: natsUrl, region: ctx.region });
  let lastError = '';
  const publisher = new Publisher({
    region: ctx.region,
    store: ctx.store,
    bus,
    clock: ctx.clock,
    onError: (error) => {
      // One line per distinct problem: an outage would otherwise print four lines a second.
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) console.error(`[${ctx.region}] change stream: ${message} (retrying)`);
      lastError = message;
    },
  });
  publisher.start();
  return {
    natsUrl,
    publisher,
    async close() {
      await publisher.stop();
      await bus.close();
      await server?.stop();
    },
  };
}
