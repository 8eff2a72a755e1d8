/**
 * The publishing half of a change stream, on any ChangeBus: the publisher that drains the change
 * log into the region's stream and the heartbeat beside it. A real region runs it on NATS
 * (changeStream.ts), the simulator on its in-memory bus: the same code either way.
 */
import { startHeartbeat } from '../bus/heartbeat.js';
import type { ChangePublisher } from '../bus/changePublisher.js';
import { Publisher } from '../bus/publisher.js';
import { publisherLogging } from '../bus/publisherLog.js';
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
   * Makes the publisher elsewhere: a real region runs it on a thread of its own
   * (bus/publisherThread.ts). Without it, it runs on the region's thread.
   */
  makePublisher?: MakePublisher;
}

export type MakePublisher = (options: Pick<PublishingOptions, 'shouldYield' | 'log'>) => ChangePublisher;

export function startPublishing(ctx: RegionContext, bus: ChangeBus, options: PublishingOptions): Publishing {
  const { log } = options;
  const publisher: ChangePublisher = options.makePublisher
    ? options.makePublisher({ shouldYield: options.shouldYield, log })
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
