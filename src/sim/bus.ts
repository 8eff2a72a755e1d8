/**
 * A simulated region's bus: the in-memory stream (what JetStream's file store keeps survives a crash
 * of the server) with the embedded nats-server's fault controls, so `/admin/nats/kill` and
 * `/admin/nats/start` and the scenario steps crashNats / restartNats work in the simulator.
 */
import { MemoryChangeBus } from '../bus/memoryBus.js';
import type { Clock } from '../clock/clock.js';
import type { EmbeddedNats } from '../region/changeStream.js';

/** How long a killed server that is not held down takes to come back (its supervisor restarts it). */
const RESTART_MS = 200;

export class SimBus extends MemoryChangeBus implements EmbeddedNats {
  /** A simulated server has no process. */
  readonly pid = undefined;
  private cancelRestart: (() => void) | undefined;

  /** `clock` is the cluster's (the server outlives its region's crashes). */
  constructor(private readonly clock: Clock) {
    super();
  }

  get running(): boolean {
    return !this.down;
  }

  async kill(hold: boolean): Promise<void> {
    this.cancelRestart?.();
    this.down = true;
    this.cancelRestart = hold ? undefined : this.clock.schedule(() => { this.down = false; }, RESTART_MS);
  }

  async start(): Promise<void> {
    this.cancelRestart?.();
    this.cancelRestart = undefined;
    this.down = false;
  }
}
