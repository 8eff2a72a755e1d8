/**
 * The ChangeSource seam simulated: a replicator in region `target` reads region `source`'s
 * MemoryChangeBus through the simulated network, on virtual time. Sessions behave as the real
 * worker's do (changeSession.ts, the source's side in streamServer.ts); a table's changes are one
 * request and one answer. Nothing here reads the wall clock or randomness, or opens a socket: time
 * is the clock's, and what is lost, late or repeated is the network's decision.
 */
import type { Clock } from '../clock/clock.js';
import type { MemoryChangeBus } from '../bus/memoryBus.js';
import type { ChangeMessage } from '../bus/wire.js';
import { decodeMessage } from '../bus/wireDecode.js';
import type { ChangeSession, ChangeSource, ChangeSourceOptions, TableRange } from '../replication/changeSource.js';
import type { IncomingChange } from '../replication/incoming.js';
import { packBatch, unpackBatch, type Received } from '../replication/receiverProtocol.js';
import { CONTROL_BYTES, MESSAGE_OVERHEAD_BYTES, SimChangeSession } from './changeSession.js';
import type { SimNet } from './net.js';
import { StreamServer } from './streamServer.js';

/** How long a table read waits for its answer (the real reader's default time-out). */
export const READ_TIMEOUT_MS = 30_000;

export class ReadTimeoutError extends Error {
  constructor(source: string, table: string) {
    super(`reading ${table} from ${source}: no answer within ${READ_TIMEOUT_MS} ms`);
    this.name = 'ReadTimeoutError';
  }
}

export class SourceUnavailableError extends Error {
  constructor(source: string) {
    super(`the stream of ${source} is unavailable`);
    this.name = 'SourceUnavailableError';
  }
}

export interface SimChangeSourceOptions extends ChangeSourceOptions {
  /** The region that reads (this one). */
  target: string;
  /** The source region's bus. */
  bus: MemoryChangeBus;
  net: SimNet;
  /** This region's clock. */
  clock: Clock;
  /** Received messages to changes; by default the receiving worker's own path (receiverProtocol.ts). */
  decode?: (messages: readonly Received[]) => IncomingChange[];
}

/** The worker's path: encode the records to store, and read them back as the region's thread does. */
const workerDecode = (messages: readonly Received[]): IncomingChange[] => unpackBatch(packBatch(messages));

export class SimChangeSource implements ChangeSource {
  private readonly server: StreamServer;
  private session: SimChangeSession | undefined;
  private readonly reads = new Set<() => void>();

  constructor(private readonly options: SimChangeSourceOptions) {
    // The worker stops reading at twice a batch: flow control holds the rest at the source.
    this.server = new StreamServer(options.bus, options.source, options.clock, options.batchMax * 2);
  }

  open(): ChangeSession {
    this.session?.close();
    const { source, target, net, clock, decode = workerDecode } = this.options;
    const session = new SimChangeSession({ source, target, net, clock, server: this.server, options: this.options, decode });
    this.session = session;
    session.connect();
    return session;
  }

  readTable(table: string, { fromSeq, toSeq, afterLsn }: TableRange): Promise<ChangeMessage[]> {
    const { source, target, net, clock, bus } = this.options;
    return new Promise((resolve, reject) => {
      let done = false;
      const settle = (fn: () => void): void => {
        if (done) return;
        done = true;
        cancelTimeout();
        this.reads.delete(abandon);
        fn();
      };
      const cancelTimeout = clock.schedule(() => settle(() => reject(new ReadTimeoutError(source, table))), READ_TIMEOUT_MS);
      const abandon = (): void => settle(() => reject(new SourceUnavailableError(source)));
      this.reads.add(abandon);
      net.send(target, source, CONTROL_BYTES, () => {
        if (bus.down) return net.send(source, target, CONTROL_BYTES, () => settle(() => reject(new SourceUnavailableError(source))));
        const payloads = tablePayloads(bus, `chg.${source}.${source}.${table}`, fromSeq, toSeq);
        const bytes = payloads.reduce((sum, payload) => sum + payload.length + MESSAGE_OVERHEAD_BYTES, CONTROL_BYTES);
        net.send(source, target, bytes, () => settle(() => {
          try {
            resolve(payloads.flatMap((payload) => decodeMessage(payload).changes.filter((change) => change.lsn > afterLsn)));
          } catch (error) {
            reject(error);
          }
        }));
      });
    });
  }

  async stop(): Promise<void> {
    this.session?.close();
    this.session = undefined;
    for (const abandon of [...this.reads]) abandon();
  }
}

/** The payloads on one subject with fromSeq <= seq <= toSeq that the stream still holds. */
function tablePayloads(bus: MemoryChangeBus, subject: string, fromSeq: number, toSeq: number): Uint8Array[] {
  const { firstSeq, lastSeq } = bus.bounds();
  const payloads: Uint8Array[] = [];
  for (let seq = Math.max(fromSeq, firstSeq); seq <= Math.min(toSeq, lastSeq); seq += 1) {
    const message = bus.message(seq)!;
    if (message.subject === subject) payloads.push(message.payload);
  }
  return payloads;
}
