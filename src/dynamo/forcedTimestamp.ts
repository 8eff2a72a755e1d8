/**
 * A forced timestamp: the timestamp one write's version carries instead of the clock's, for demos
 * and tests that need an exact version. It is a parameter of that write alone, so nothing else the
 * region commits (another request, a TTL delete, a replicated change) can pick it up.
 */
import { MAX_CLOCK_SKEW_MS } from '../core/version.js';
import { ValidationException } from './errors.js';

/** The request header that carries it on a DynamoDB API call (honoured only from callers the admin guard lets in). */
export const FORCED_TIMESTAMP_HEADER = 'X-Globaltables-Timestamp-Ms';

/** What a caller may ask of one operation beyond its request; reads ignore it. */
export interface OperationOptions {
  /** Every version this write stamps carries this timestamp (in `hlc` mode the clock still never goes backwards). */
  timestampMs?: number;
}

/**
 * Refuses a forced timestamp that is not an integer from the epoch (an old one is harmless: an
 * hlc clock never goes back, and under wall clocks it stages a write that loses) to as far ahead
 * as a clock within bounds can read (true time + a day), so it stamps nothing a skewed clock
 * could not have.
 */
export function checkForcedTimestamp(timestampMs: number, trueNowMs: number): void {
  const latestMs = trueNowMs + MAX_CLOCK_SKEW_MS;
  if (Number.isSafeInteger(timestampMs) && timestampMs >= 0 && timestampMs <= latestMs) return;
  throw new ValidationException(
    `The forced timestamp (${FORCED_TIMESTAMP_HEADER}) must be ms since the epoch, an integer from 0 to ${latestMs} (true time plus a day)`,
  );
}

/** The header's value as a number: only plain decimal digits make one, anything else is NaN (refused by checkForcedTimestamp). */
export function parseForcedTimestampHeader(value: string): number {
  return /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
}
