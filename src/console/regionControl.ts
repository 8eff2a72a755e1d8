/** Crash and restart of regions, for a console whose caller runs them as processes (`up`). */
export interface RegionControl {
  controllable(region: string): boolean;
  /** SIGKILL: the region and its nats-server stop at once; its data stays. */
  crash(region: string): Promise<void>;
  /** Starts it again on the same data; resolves once it listens. */
  restart(region: string): Promise<void>;
}

/** A crash of a region that is not running, or a restart of one that is. */
export class RegionControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionControlError';
  }
}
