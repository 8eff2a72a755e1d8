/**
 * The publishing half of a change stream, on any ChangeBus: the publisher that drains the change
 * log into the region's stream and the heartbeat beside it. A real region runs it on NATS
 * (changeStream.ts), the simulator on its in-memory bus: the same code either way.
 */
import { startHeartbeat } from '../bus/heartbeat.js';
import { Publisher } from '../bus/publisher.js';
import type { ChangeBus } from '../bus/changeBus.js';
import type { RegionContext } from '../dynamo/context.js';

export interface Publishing {
  publisher: Publisher;
  stop(): Promise<void>;
}

export interface PublishingOptions {
  /** Asked before each publish batch: true makes the publisher wait (see Publisher). */
  shouldYield?: () => boolean;
  log: (message: string) => void;
}

export function startPublishing(ctx: RegionContext, bus: ChangeBus, options: PublishingOptions): Publishing {
  const { log } = options;
  let lastError = '';
  const publisher = new Publisher({
    region: ctx.region,
    store: ctx.store,
    bus,
    clock: ctx.clock,
    shouldYield: options.shouldYield,
    onError: (error) => {
      // One line per distinct problem: an outage would otherwise print four lines a second.
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) log(`${message} (retrying)`);
      lastError = message;
    },
    onStuck: (stuck, previous) => {
      if (stuck) log(`stuck at lsn ${stuck.lsn}: ${stuck.message}; nothing after it is published until it is (retrying every few seconds)`);
      else if (previous) log(`lsn ${previous.lsn} published after ${Math.round((ctx.clock.trueNowMs() - previous.sinceMs) / 1000)} s stuck; publishing again`);
    },
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
