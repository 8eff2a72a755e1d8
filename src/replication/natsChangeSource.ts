/**
 * The ChangeSource seam on NATS: sessions are the receiving worker's (receiver.ts), through this
 * region's link to the source's nats-server; a table's changes are read with a consumer of their own (replay.ts).
 */
import type { ChangeMessage } from '../bus/wire.js';
import type { ChangeSession, ChangeSource, ChangeSourceOptions, TableRange } from './changeSource.js';
import { Receiver } from './receiver.js';
import { readTableChanges } from './replay.js';

export class NatsChangeSource implements ChangeSource {
  private readonly receiver: Receiver;

  /** `natsUrl`: where to reach the source's nats-server, or how to learn it at each connection. */
  constructor(private readonly natsUrl: string | (() => string), private readonly options: ChangeSourceOptions) {
    this.receiver = new Receiver(options);
  }

  open(): ChangeSession {
    return this.receiver.open(this.url());
  }

  readTable(table: string, range: TableRange): Promise<ChangeMessage[]> {
    return readTableChanges(this.url(), this.options.source, table, range);
  }

  stop(): Promise<void> {
    return this.receiver.stop();
  }

  private url(): string {
    return typeof this.natsUrl === 'string' ? this.natsUrl : this.natsUrl();
  }
}
