import { ManualClock, SystemClock } from '../../src/clock/clock.js';
import { runClockContract } from './clock.contract.js';

runClockContract('system', () => new SystemClock(), (_clock, ms) => new Promise((resolve) => setTimeout(resolve, ms)));
runClockContract('manual', () => new ManualClock(), async (clock, ms) => (clock as ManualClock).advance(ms));
