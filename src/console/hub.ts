/**
 * The console's view of the cluster: it follows every region's event feed, passes each event on to
 * the pages that listen, keeps a backlog for pages opened later, and once a second says whether the
 * replicas of each table agree.
 */
import { followFeed } from '../region/feedClient.js';
import type { FeedEvent, FeedStatus } from '../region/feedEvents.js';
import { Backlog } from './backlog.js';
import type { ConsoleEvent } from './consoleEvents.js';
import { ConvergenceWatch } from './convergence.js';
import type { ConsoleRegion } from './regionCalls.js';

const CONVERGENCE_INTERVAL_MS = 1000;

export class ConsoleHub {
  private readonly listeners = new Set<(event: ConsoleEvent) => void>();
  private readonly backlog = new Backlog();
  private readonly statuses = new Map<string, FeedStatus>();
  private readonly up = new Set<string>();
  private readonly follows: { close(): void }[];
  private readonly convergence: ConvergenceWatch;
  private readonly timer: NodeJS.Timeout;
  private checking = false;

  constructor(readonly regions: ConsoleRegion[], adminToken: string | undefined) {
    this.convergence = new ConvergenceWatch(regions, adminToken);
    this.follows = regions.map((region) => followFeed({
      endpoint: region.endpoint,
      ...(adminToken !== undefined ? { adminToken } : {}),
      onEvent: (event) => this.fromRegion(event),
      onConnection: (isUp) => this.regionState(region.name, isUp),
    }));
    this.timer = setInterval(() => void this.checkConvergence(), CONVERGENCE_INTERVAL_MS);
  }

  /** The backlog first, then every event as it comes; returns the way to stop listening. */
  subscribe(listener: (event: ConsoleEvent) => void): () => void {
    for (const event of this.backlog.events()) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isUp(region: string): boolean {
    return this.up.has(region);
  }

  close(): void {
    clearInterval(this.timer);
    this.follows.forEach((f) => f.close());
    this.listeners.clear();
  }

  private fromRegion(event: FeedEvent): void {
    if (event.type === 'status') this.statuses.set(event.region, event);
    if (event.type === 'change') this.convergence.touch(event.table);
    if (event.type === 'conflict') this.convergence.touch(event.conflict.table);
    this.emit(event);
  }

  private regionState(region: string, isUp: boolean): void {
    if (isUp) this.up.add(region);
    else this.up.delete(region);
    this.convergence.touch();
    this.emit({ type: 'region', region, up: isUp, atMs: Date.now() });
  }

  private emit(event: ConsoleEvent): void {
    this.backlog.add(event);
    for (const listener of this.listeners) listener(event);
  }

  private async checkConvergence(): Promise<void> {
    if (this.checking) return; // a slow digest must not pile up checks
    this.checking = true;
    try {
      // A region that is down still holds its tables: its last status keeps it among the holders.
      const tables = await this.convergence.check(this.statuses, (region) => this.up.has(region));
      this.emit({ type: 'convergence', atMs: Date.now(), tables });
    } finally {
      this.checking = false;
    }
  }
}
