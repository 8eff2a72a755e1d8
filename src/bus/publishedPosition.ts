/**
 * Where a publisher resumes: the stream's last message says its sequence, its last lsn and the own
 * count it carries. What the publisher saved now and then only stands in for a message the stream
 * no longer holds.
 */
import type { Store } from '../storage/store.js';
import type { ChangeBus } from './changeBus.js';
import { decodeMessage } from './wireDecode.js';

/** The stream's last message: its sequence, its last lsn and the own count it carries. */
export interface PublishedPosition {
  seq: number;
  lsn: number;
  ownCount: number;
}

/** Where the stream was when last saved (a PublishedPosition). */
export const POSITION_KEY = 'publisher.position';
/** Written before groups: the lsn alone, which was then also the stream sequence. */
const LEGACY_CURSOR_KEY = 'publisher.cursor';

export function savedPosition(store: Pick<Store, 'read'>): PublishedPosition {
  return store.read((txn) => {
    const saved = txn.getMeta<PublishedPosition>(POSITION_KEY);
    if (saved) return saved;
    const lsn = txn.getMeta<number>(LEGACY_CURSOR_KEY) ?? 0;
    return { lsn, seq: lsn, ownCount: 0 };
  });
}

/**
 * Where the stream is (acks lost in a crash leave it ahead of what was saved). A message from
 * before groups carries no own count: counting starts there. Only when the stream no longer holds
 * its last message (trimmed by age) does the saved position say the lsn; the changes after it then
 * go out again under new sequences, and receivers pass over what they applied (by lsn).
 */
export async function streamPosition(bus: ChangeBus, saved: PublishedPosition): Promise<PublishedPosition> {
  await bus.ensureStream();
  const last = await bus.lastMessage();
  if (!last.payload) return { lsn: saved.lsn, seq: last.seq, ownCount: saved.ownCount };
  const message = decodeMessage(last.payload);
  const lsn = message.changes[message.changes.length - 1].lsn;
  return { lsn, seq: last.seq, ownCount: message.ownCount ?? (last.seq === saved.seq ? saved.ownCount : 0) };
}
