/**
 * The key layout a data directory was written with. Item and index entry keys are bytes whose
 * order is DynamoDB's order (src/core/keys.ts); data written with another layout would be found in
 * the wrong places, so a store refuses it instead of serving wrong answers.
 */
import type { Database } from 'lmdb';
import { KEY_LAYOUT_VERSION } from '../core/keys.js';

const LAYOUT_KEY = 'store:keyLayout';
/** Data written before the layout was recorded: partitions placed by murmur3. */
const UNRECORDED_LAYOUT = 1;

export class StoreLayoutError extends Error {
  constructor(readonly path: string, readonly foundLayout: number) {
    super(
      `The data in ${path} was written with key layout ${foundLayout}, and this version reads key layout ${KEY_LAYOUT_VERSION} ` +
      '(partitions placed as DynamoDB places them). Start this region with an empty data directory (move or delete ' +
      `${path}), and recreate its tables, or let them replicate from a peer region; or keep running the version that wrote it.`,
    );
    this.name = 'StoreLayoutError';
  }
}

interface LayoutDatabases {
  meta: Database<unknown, string>;
  items: Database<unknown, Buffer>;
}

/** Records the layout in a new store; refuses a store written with another one. */
export function checkKeyLayout(path: string, dbs: LayoutDatabases): void {
  const recorded = dbs.meta.get(LAYOUT_KEY);
  if (recorded === KEY_LAYOUT_VERSION) return;
  // Without items nothing depends on the layout (table metadata does not), whatever wrote it.
  if (recorded === undefined && dbs.items.getKeysCount({ limit: 1 }) === 0) {
    dbs.meta.putSync(LAYOUT_KEY, KEY_LAYOUT_VERSION);
    return;
  }
  throw new StoreLayoutError(path, typeof recorded === 'number' ? recorded : UNRECORDED_LAYOUT);
}
