/** Shard iterators: opaque to clients, carrying the stream, the shard, the next lsn and when they were issued. */
import { ExpiredIteratorException, invalid } from '../dynamo/errors.js';

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

/** The service's words for a position before the stream's retention period. */
export const TRIMMED_MESSAGE = 'The data you are trying to access has been trimmed';

export interface IteratorState {
  arn: string;
  shardId: string;
  /** The next lsn to read. */
  position: number;
  issuedAtMs: number;
}

export function encodeIterator(state: IteratorState): string {
  return `${state.arn}|1|${Buffer.from(JSON.stringify([state.shardId, state.position, state.issuedAtMs])).toString('base64')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time as the service writes it in this message (`Fri Mar 15 07:58:30 UTC 2024`, Java's Date). */
function javaDate(ms: number): string {
  const date = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

export function decodeIterator(iterator: string, nowMs: number): IteratorState {
  const split = iterator.lastIndexOf('|1|');
  let state: IteratorState | undefined;
  if (split > 0) {
    try {
      const [shardId, position, issuedAtMs] = JSON.parse(Buffer.from(iterator.slice(split + 3), 'base64').toString('utf8')) as [string, number, number];
      if (typeof shardId === 'string' && Number.isInteger(position) && Number.isInteger(issuedAtMs)) {
        state = { arn: iterator.slice(0, split), shardId, position, issuedAtMs };
      }
    } catch {
      state = undefined;
    }
  }
  if (!state) invalid('Invalid ShardIterator');
  if (nowMs - state.issuedAtMs > ITERATOR_LIFETIME_MS) {
    throw new ExpiredIteratorException(`Iterator expired. The iterator was created at time ${javaDate(state.issuedAtMs)} while right now it is ${javaDate(nowMs)} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`);
  }
  return state;
}
