/** The real IdSource: node's random UUIDs. */
import { randomUUID } from 'node:crypto';
import type { IdSource } from '../core/ids.js';

export const randomIds: IdSource = { uuid: () => randomUUID() };
