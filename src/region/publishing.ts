/**
 * The publishing half of a change stream, on any ChangeBus: the publisher that drains the change
 * log into the region's stream and the heartbeat beside it. A real region runs it on NATS
 * (changeStream.ts), the simulator on its in-memory bus: the same code either way.
 */
import { startHeartbeat } from '../bus/heartbeat.js';
import { Publisher, type ChangePublisher } from '../bus/publisher.js';
import { publisherLogging } from '../bus/publisherLog.js';
import { PublisherThread, type PublisherThreadOptions } from '../bus/publisherThread.js';
import type { ChangeBus } from '../bus/changeBus.js';
import type { RegionContext } from '../dynamo/context.js';

export interface Publishing {
  publisher: ChangePublisher;
  stop(): Promise<void>;
}

export interface PublishingOptions {
  /** Asked before each publish batch: true makes the publisher wait (see Publisher). */
  shouldYield?: () => boolean;
  log: (message: string) => void;
  /**
   * Where the store's LMDB environment and the region's nats-server are: the publisher then runs on
   * a thread of its own (publisherThread.ts). Without it, on the region's thread.
   */
  thread?: Pick<PublisherThreadOptions, 'natsUrl' | 'dataDir' | 'durability' | 'encryption'>;
}

export function startPublishing(ctx: RegionContext, bus: ChangeBus, options: PublishingOptions): Publishing {
  const { log } = options;
  const publisher: ChangePublisher = options.thread
    ? new PublisherThread({ region: ctx.region, store: ctx.store, ...options.thread, shouldYield: options.shouldYield, log })
    : new Publisher({
      region: ctx.region,
      store: ctx.store,
      bus,
      clock: ctx.clock,
      shouldYield: options.shouldYield,
      ...publisherLogging(log, () => ctx.clock.trueNowMs()),
    });
  publisher.start();
  const stopHeartbeat = startHeartbeat({
    region: ctx.region, store: ctx.store, clock: ctx.clock, status: () => publisher.status(), send: (subject, payload) => bus.publishStatus(subject, payload),
  });
  return {
    publisher,
    async stop() {
      stopHeartbeat();
      await publisher.stop();
    },
  };
}
