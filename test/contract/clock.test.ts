import { ManualClock, SystemClock, type Clock } from '../../src/clock/clock.js';
import { VirtualClock } from '../../src/sim/clock.js';
import { SimScheduler } from '../../src/sim/scheduler.js';
import { runClockContract } from './clock.contract.js';

runClockContract('system', () => new SystemClock(), (_clock, ms) => new Promise((resolve) => setTimeout(resolve, ms)));
runClockContract('manual', () => new ManualClock(), async (clock, ms) => (clock as ManualClock).advance(ms));

/** Each virtual clock's scheduler, so waiting runs the simulation that clock lives in. */
const schedulers = new WeakMap<Clock, SimScheduler>();
runClockContract(
  'virtual',
  () => {
    const scheduler = new SimScheduler(1_700_000_000_000);
    const clock = new VirtualClock(scheduler);
    schedulers.set(clock, scheduler);
    return clock;
  },
  (clock, ms) => schedulers.get(clock)!.runFor(ms),
);
