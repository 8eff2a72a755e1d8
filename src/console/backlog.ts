/**
 * What a page opened late is sent first: the latest status and state of each region, the latest
 * convergence, and the most recent changes, conflicts and faults, each kind in a bounded ring.
 */
import type { ConsoleEvent } from './consoleEvents.js';

const KEPT = { change: 500, changesSkipped: 50, conflict: 300, fault: 100 } as const;
type Kept = keyof typeof KEPT;

export class Backlog {
  private readonly latest = new Map<string, ConsoleEvent>();
  private readonly rings = new Map<Kept, ConsoleEvent[]>();

  add(event: ConsoleEvent): void {
    if (event.type === 'status' || event.type === 'region' || event.type === 'hello') this.latest.set(`${event.type}:${event.region}`, event);
    else if (event.type === 'convergence') this.latest.set('convergence', event);
    else this.keep(event.type, event);
  }

  private keep(kind: Kept, event: ConsoleEvent): void {
    let ring = this.rings.get(kind);
    if (!ring) this.rings.set(kind, ring = []);
    ring.push(event);
    if (ring.length > KEPT[kind]) ring.splice(0, ring.length - KEPT[kind]);
  }

  /** Oldest first; region states before the rest, so a page knows which regions are down before it reads their news. */
  events(): ConsoleEvent[] {
    const all = [...this.latest.values(), ...[...this.rings.values()].flat()];
    const rank = (e: ConsoleEvent): number => (e.type === 'region' ? 0 : 1);
    return all.sort((a, b) => rank(a) - rank(b) || a.atMs - b.atMs);
  }
}
