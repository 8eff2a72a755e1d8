/**
 * The thread that carries a region's links: each is a LinkProxy, here rather than on the region's
 * main thread, so forwarding and the timers that delay it wait neither for request handling nor
 * for the store's commits, and cost that thread nothing.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { LinkProxy } from './linkProxy.js';
import { isSyncRequest, REPLIES, type AsyncLinkRequest, type LinkReply, type LinkRequest, type SyncLinkRequest } from './linkThreadProtocol.js';

const { replies, signal } = workerData as { replies: MessagePort; signal: Int32Array };
const links = new Map<number, LinkProxy>();

function answerSync(request: SyncLinkRequest): LinkReply {
  const link = links.get(request.link);
  if (!link) return { call: request.call, ok: false, error: `no link ${request.link}` };
  switch (request.op) {
    case 'update':
      return { call: request.call, ok: true, settings: link.update(request.settings) };
    case 'heal':
      return { call: request.call, ok: true, settings: link.heal() };
    case 'reset':
      link.reset();
      return { call: request.call, ok: true, stats: link.stats() };
    case 'stats':
      return { call: request.call, ok: true, stats: link.stats() };
    case 'setTarget':
      link.setTarget(request.target);
      return { call: request.call, ok: true };
  }
}

async function answerAsync(request: AsyncLinkRequest): Promise<LinkReply> {
  if (request.op === 'start') {
    const { name, target, host, port } = request;
    const link = await LinkProxy.start({ name, target, ...(host === undefined ? {} : { host }), ...(port === undefined ? {} : { port }) });
    links.set(request.link, link);
    return { call: request.call, ok: true, port: link.port };
  }
  const link = links.get(request.link);
  links.delete(request.link);
  await link?.close();
  return { call: request.call, ok: true };
}

const failure = (call: number, error: unknown): LinkReply => ({ call, ok: false, error: (error as Error).message ?? String(error) });

parentPort!.on('message', (request: LinkRequest) => {
  if (isSyncRequest(request)) {
    let reply: LinkReply;
    try {
      reply = answerSync(request);
    } catch (error) {
      reply = failure(request.call, error);
    }
    replies.postMessage(reply);
    Atomics.add(signal, REPLIES, 1);
    Atomics.notify(signal, REPLIES);
    return;
  }
  answerAsync(request).then((reply) => parentPort!.postMessage(reply), (error: unknown) => parentPort!.postMessage(failure(request.call, error)));
});
