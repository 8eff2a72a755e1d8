/** Shard iterators: opaque to clients, carrying the stream, the shard, the next lsn and when they were issued. */
import { ExpiredIteratorException, invalid } from '../dynamo/errors.js';

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

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
    throw new ExpiredIteratorException(`Iterator expired. The iterator was created at time ${new Date(state.issuedAtMs).toUTCString()} while right now it is ${new Date(nowMs).toUTCString()} which is further in the future than the tolerated delay of 900000 milliseconds.`);
  }
  return state;
}
