/**
 * A region's links on a thread of their own (linkThreadWorker.ts): the TCP proxies run there, and
 * each ThreadedLink here is a Link whose methods ask that thread and wait for its answer (a few
 * microseconds), so a setting is in force when update() returns, as with a proxy in-process.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker } from '../workerBoot.js';
import { updatedSettings, HEALTHY, type Link, type LinkSettings, type LinkStats } from './link.js';
import { REPLIES, type AsyncLinkRequest, type LinkReply, type SyncLinkRequest, type Target } from './linkThreadProtocol.js';

const MODULE = new URL('./linkThreadWorker.ts', import.meta.url);

/** Far beyond any answer of a live thread: past it, the thread is taken for dead. */
const SYNC_TIMEOUT_MS = 10_000;

export class LinkThreadError extends Error {
  constructor(message: string) {
    super(`link thread: ${message}`);
    this.name = 'LinkThreadError';
  }
}

type Request<R> = R extends unknown ? Omit<R, 'call'> : never;

class LinkThread {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private readonly pending = new Map<number, (reply: LinkReply) => void>();
  private calls = 0;
  links = 0;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    this.worker = startWorker(MODULE, { workerData: { replies: port2, signal: this.signal }, transferList: [port2] });
    // The links' owners keep the process alive, not the thread.
    this.worker.unref();
    this.worker.on('message', (reply: LinkReply) => {
      this.pending.get(reply.call)?.(reply);
      this.pending.delete(reply.call);
    });
    // A failure there would have ended the region when the proxies ran on its own thread; it
    // still does, rather than leave the region with every link silently dead.
    this.worker.on('error', (error) => {
      this.failAll(error.message);
      throw error;
    });
    this.worker.on('exit', (code) => this.failAll(`exited with code ${code}`));
  }

  ask(request: Request<AsyncLinkRequest>): Promise<LinkReply & { ok: true }> {
    const call = ++this.calls;
    return new Promise((resolve, reject) => {
      this.pending.set(call, (reply) => (reply.ok ? resolve(reply) : reject(new LinkThreadError(reply.error))));
      this.worker.postMessage({ ...request, call });
    });
  }

  /** Waits for the answer: a Link's methods are synchronous, and a caller relies on a setting being in force. */
  askNow(request: Request<SyncLinkRequest>): LinkReply & { ok: true } {
    const call = ++this.calls;
    let seen = Atomics.load(this.signal, REPLIES);
    this.worker.postMessage({ ...request, call });
    const deadline = performance.now() + SYNC_TIMEOUT_MS;
    for (;;) {
      const received = receiveMessageOnPort(this.replies)?.message as LinkReply | undefined;
      if (received?.call === call) {
        if (!received.ok) throw new LinkThreadError(received.error);
        return received;
      }
      if (received) continue;
      const leftMs = deadline - performance.now();
      if (leftMs <= 0) throw new LinkThreadError(`no answer to ${request.op} within ${SYNC_TIMEOUT_MS} ms`);
      Atomics.wait(this.signal, REPLIES, seen, leftMs);
      seen = Atomics.load(this.signal, REPLIES);
    }
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private failAll(error: string): void {
    for (const settle of this.pending.values()) settle({ call: 0, ok: false, error });
    this.pending.clear();
    if (thread === this) thread = undefined;
  }
}

/** One thread carries all of a process's links; it ends with the last of them. */
let thread: LinkThread | undefined;
let linkIds = 0;

export class ThreadedLink implements Link {
  private current: LinkSettings = { ...HEALTHY };
  private closing: Promise<void> | undefined;

  private constructor(private readonly thread: LinkThread, private readonly id: number, readonly name: string, readonly port: number, readonly url: string) {}

  /** host defaults to 127.0.0.1, port to 0 (a free one). */
  static async start(options: { name: string; target: Target; host?: string; port?: number }): Promise<ThreadedLink> {
    const linkThread = thread ?? (thread = new LinkThread());
    linkThread.links += 1;
    const id = ++linkIds;
    try {
      const { port } = await linkThread.ask({ op: 'start', link: id, ...options });
      return new ThreadedLink(linkThread, id, options.name, port!, `nats://${options.host ?? '127.0.0.1'}:${port}`);
    } catch (error) {
      await ThreadedLink.release(linkThread);
      throw error;
    }
  }

  get settings(): LinkSettings {
    return { ...this.current };
  }

  update(settings: Partial<LinkSettings>): LinkSettings {
    // Refused here, with the same error, before the thread is asked.
    updatedSettings(this.name, this.current, settings);
    this.current = this.thread.askNow({ op: 'update', link: this.id, settings }).settings!;
    return this.settings;
  }

  heal(): LinkSettings {
    this.current = this.thread.askNow({ op: 'heal', link: this.id }).settings!;
    return this.settings;
  }

  reset(): void {
    this.thread.askNow({ op: 'reset', link: this.id });
  }

  setTarget(target: Target): void {
    this.thread.askNow({ op: 'setTarget', link: this.id, target });
  }

  stats(): LinkStats {
    return this.thread.askNow({ op: 'stats', link: this.id }).stats!;
  }

  close(): Promise<void> {
    this.closing ??= this.thread.ask({ op: 'close', link: this.id }).then(() => ThreadedLink.release(this.thread), () => ThreadedLink.release(this.thread));
    return this.closing;
  }

  private static async release(linkThread: LinkThread): Promise<void> {
    linkThread.links -= 1;
    if (linkThread.links > 0) return;
    if (thread === linkThread) thread = undefined;
    await linkThread.terminate();
  }
}
