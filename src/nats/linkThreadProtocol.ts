/** Requests between a region's links (linkThread.ts) and the thread that carries their traffic (linkThreadWorker.ts). */
import type { LinkSettings, LinkStats } from './link.js';

export interface Target { host: string; port: number }

/** Answered on the worker's parent port, whenever done. */
export type AsyncLinkRequest =
  | { op: 'start'; call: number; link: number; name: string; target: Target; host?: string; port?: number }
  | { op: 'close'; call: number; link: number };

/** Answered on the reply port while the caller waits (Atomics.wait), so a Link's methods stay synchronous. */
export type SyncLinkRequest =
  | { op: 'update'; call: number; link: number; settings: Partial<LinkSettings> }
  | { op: 'heal'; call: number; link: number }
  | { op: 'reset'; call: number; link: number }
  | { op: 'stats'; call: number; link: number }
  | { op: 'setTarget'; call: number; link: number; target: Target };

export type LinkRequest = AsyncLinkRequest | SyncLinkRequest;

export type LinkReply =
  | { call: number; ok: true; port?: number; settings?: LinkSettings; stats?: LinkStats }
  | { call: number; ok: false; error: string };

export const isSyncRequest = (request: LinkRequest): request is SyncLinkRequest => request.op !== 'start' && request.op !== 'close';

/** Index in the shared Int32Array the worker bumps (and notifies) after each synchronous reply. */
export const REPLIES = 0;
