/**
 * The source side of the simulated ChangeSource: what the source's nats-server does for one
 * replicator's connection, on the source's MemoryChangeBus. It forwards the source's heartbeats,
 * answers pings, and runs one ordered push consumer at a time on the source's own changes
 * (`chg.<source>.<source>.>`): each message with a delivery sequence of its own, at most `window`
 * messages beyond what the client has acknowledged (JetStream's flow control), and an idle
 * heartbeat when it has delivered nothing for a while. The bus going down drops every connection.
 * Whatever it sends, it sends through the client link, which puts it on the simulated network.
 */
import type { Clock } from '../clock/clock.js';
import { heartbeatSubject } from '../bus/heartbeat.js';
import type { MemoryChangeBus, StoredMessage } from '../bus/memoryBus.js';

/** JetStream's idle heartbeat for an ordered consumer (nats.js sets 30 s). */
export const IDLE_HEARTBEAT_MS = 30_000;

export interface Delivery {
  /** Position in its consumer's deliveries, from 1: a gap means a message was lost. */
  deliverySeq: number;
  message: StoredMessage;
  /** The consumer's messages still to come after this one, as the server counted when sending it. */
  pending: number;
}

/** What the server sends one client; each call is one message on the network. */
export interface ClientLink {
  deliver(consumer: number, delivery: Delivery): void;
  /** The consumer has delivered nothing for a while; `lastDeliverySeq` is the last it did deliver. */
  idle(consumer: number, lastDeliverySeq: number): void;
  heartbeat(payload: Uint8Array): void;
  pong(): void;
  /** The server closed the connection (it went down). */
  dropped(): void;
}

export class StreamServer {
  /** `window`: messages a consumer sends beyond what its client has acknowledged. */
  constructor(readonly bus: MemoryChangeBus, readonly source: string, private readonly clock: Clock, private readonly window: number) {}

  /** A connection for the client, or undefined while the bus is down (the connection is refused). */
  connect(link: ClientLink): StreamConnection | undefined {
    if (this.bus.down) return undefined;
    return new StreamConnection(this, link, this.clock, this.window);
  }

  /** Whether a message is one of the source's own changes (the only ones its peers replicate). */
  isOwn(message: StoredMessage): boolean {
    return message.subject.startsWith(`chg.${this.source}.${this.source}.`);
  }
}

export class StreamConnection {
  private consumer: PushConsumer | undefined;
  private closed = false;
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly server: StreamServer, private readonly link: ClientLink, private readonly clock: Clock, private readonly window: number) {
    const subject = heartbeatSubject(server.source);
    this.unsubscribe = [
      server.bus.onStatus((sent, payload) => { if (sent === subject) link.heartbeat(payload); }),
      server.bus.onAvailability((up) => {
        if (up) return;
        this.close();
        link.dropped();
      }),
    ];
  }

  get alive(): boolean {
    return !this.closed;
  }

  /** The stream's bounds, as a stream info answers. */
  bounds(): { firstSeq: number; lastSeq: number } {
    return this.server.bus.bounds();
  }

  /** Starts consumer `id` from startSeq on, deleting the one before (an ordered consumer's reset). */
  consume(id: number, startSeq: number): void {
    if (this.closed) return;
    this.consumer?.stop();
    this.consumer = new PushConsumer(id, this.server, this.link, this.clock, this.window, startSeq);
  }

  /** The client has taken the consumer's deliveries up to deliverySeq: room for more. */
  acknowledge(consumer: number, deliverySeq: number): void {
    if (!this.closed && this.consumer?.id === consumer) this.consumer.acknowledge(deliverySeq);
  }

  ping(): void {
    if (!this.closed) this.link.pong();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.consumer?.stop();
    for (const stop of this.unsubscribe) stop();
  }
}

class PushConsumer {
  /** The last stream sequence looked at. */
  private cursor: number;
  private delivered = 0;
  private acknowledged = 0;
  /** Own messages after the cursor. */
  private pending = 0;
  private deliveredSinceTick = false;
  private readonly stops: (() => void)[] = [];

  constructor(readonly id: number, private readonly server: StreamServer, private readonly link: ClientLink, private readonly clock: Clock, private readonly window: number, startSeq: number) {
    this.cursor = startSeq - 1;
    this.recount();
    this.stops.push(server.bus.onAppend((message) => {
      if (!server.isOwn(message)) return;
      this.pending += 1;
      this.pump();
    }));
    this.tick();
    this.pump();
  }

  acknowledge(deliverySeq: number): void {
    if (deliverySeq <= this.acknowledged) return;
    this.acknowledged = Math.min(deliverySeq, this.delivered);
    this.pump();
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Sends the next own messages while the client's window has room. */
  private pump(): void {
    while (this.delivered - this.acknowledged < this.window) {
      const message = this.nextOwn();
      if (!message) return;
      this.pending -= 1;
      this.delivered += 1;
      this.deliveredSinceTick = true;
      this.link.deliver(this.id, { deliverySeq: this.delivered, message, pending: this.pending });
    }
  }

  private nextOwn(): StoredMessage | undefined {
    const { bus } = this.server;
    const { firstSeq, lastSeq } = bus.bounds();
    if (this.cursor + 1 < firstSeq) {
      // Trimmed before they were sent: JetStream moves on to what the stream still holds, without
      // a word to the client (only a new session's look at the stream's bounds would show it).
      this.cursor = firstSeq - 1;
      this.recount();
    }
    while (this.cursor < lastSeq) {
      this.cursor += 1;
      const message = bus.message(this.cursor)!;
      if (this.server.isOwn(message)) return message;
    }
    return undefined;
  }

  private recount(): void {
    const { bus } = this.server;
    const { firstSeq, lastSeq } = bus.bounds();
    this.pending = 0;
    for (let seq = Math.max(this.cursor + 1, firstSeq); seq <= lastSeq; seq += 1) if (this.server.isOwn(bus.message(seq)!)) this.pending += 1;
  }

  /** An idle heartbeat when nothing was delivered since the last tick (also while held by flow control). */
  private tick(): void {
    const cancel = this.clock.schedule(() => {
      this.stops.splice(this.stops.indexOf(cancel), 1);
      if (!this.deliveredSinceTick) this.link.idle(this.id, this.delivered);
      this.deliveredSinceTick = false;
      this.tick();
    }, IDLE_HEARTBEAT_MS);
    this.stops.push(cancel);
  }
}
