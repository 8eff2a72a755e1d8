/**
 * The simulated network between regions: one SimLink per directed pair of nodes (region names),
 * made on first use, each with its own random stream split from the network's by the link's name
 * — so traffic on one link never shifts the draws of another, and adding a region leaves the
 * existing links' streams as they were.
 *
 * A node can be down (a crashed region): what it sends, or what is sent to it, is dropped, and so
 * is everything already in flight from or to it when it arrives — even if the node is back up by
 * then, since the restarted process is not the one that was talking.
 */
import { SimLink, type LinkEnds } from './link.js';
import type { SimNet } from './net.js';
import type { SimRandom } from './random.js';
import type { SimScheduler } from './scheduler.js';

export type DeliveryObserver = (from: string, to: string, bytes: number) => void;

export class SimNetwork implements SimNet {
  /** Called at each delivery, before the receiver's deliver (a trace hash listens here). */
  onDeliver: DeliveryObserver | undefined;
  private readonly links = new Map<string, SimLink>();
  private readonly downNodes = new Set<string>();
  /** How many times each node went down; a message carries both ends' counts from when it was sent. */
  private readonly incarnations = new Map<string, number>();
  private readonly ends: LinkEnds = {
    incarnation: (node) => (this.downNodes.has(node) ? undefined : (this.incarnations.get(node) ?? 0)),
    delivered: (from, to, bytes) => this.onDeliver?.(from, to, bytes),
  };

  constructor(private readonly scheduler: SimScheduler, private readonly random: SimRandom, onDeliver?: DeliveryObserver) {
    this.onDeliver = onDeliver;
  }

  send(from: string, to: string, bytes: number, deliver: () => void): void {
    this.link(from, to).send(bytes, deliver);
  }

  /** The directed link from -> to (always the same object for the pair). */
  link(from: string, to: string): SimLink {
    const name = `${from}->${to}`;
    let link = this.links.get(name);
    if (!link) {
      link = new SimLink(from, to, this.scheduler, this.random.split(`link:${name}`), this.ends);
      this.links.set(name, link);
    }
    return link;
  }

  /** Drops what is in flight from -> to. */
  reset(from: string, to: string): void {
    this.link(from, to).reset();
  }

  /** Down: a crash (nothing in or out, in-flight traffic lost). Up: the node answers again. */
  setNodeUp(name: string, up: boolean): void {
    if (up) {
      this.downNodes.delete(name);
    } else if (!this.downNodes.has(name)) {
      this.downNodes.add(name);
      this.incarnations.set(name, (this.incarnations.get(name) ?? 0) + 1);
    }
  }

  isNodeUp(name: string): boolean {
    return !this.downNodes.has(name);
  }
}
