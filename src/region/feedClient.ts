/**
 * Follows a region's event feed (GET /admin/events) over fetch, for the console server and the
 * scenario recorder: parses the server-sent events, and while the region is down or restarting
 * tries again with backoff, saying each time the connection comes up or goes down.
 */
import type { FeedEvent } from './feedEvents.js';

export interface FollowFeedOptions {
  endpoint: string;
  adminToken?: string;
  onEvent(event: FeedEvent): void;
  onConnection?(up: boolean): void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2000;
/**
 * A region sends its status every second and a keep-alive every 15 s; this long without a byte
 * means the connection is dead without having been closed (a host gone, a cable pulled).
 */
const SILENCE_LIMIT_MS = 35_000;

/** One server-sent event's `event` and `data`; comments (keep-alives) and other fields are passed over. */
function parseBlock(block: string): FeedEvent | undefined {
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  if (!data.length) return undefined;
  return JSON.parse(data.join('\n')) as FeedEvent;
}

export function followFeed(options: FollowFeedOptions): { close(): void } {
  let closed = false;
  let up: boolean | undefined;
  let retryMs = FIRST_RETRY_MS;
  let abort: AbortController | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const connection = (now: boolean): void => {
    if (closed || up === now) return;
    up = now;
    options.onConnection?.(now);
  };

  const deliver = (event: FeedEvent): void => {
    if (closed) return;
    try {
      options.onEvent(event);
    } catch (error) {
      console.error('event feed handler failed:', error);
    }
  };

  const readStream = async (body: ReadableStream<Uint8Array>, watchdog: () => void): Promise<void> => {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done || closed) return;
      watchdog();
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) deliver(event);
        end = buffer.indexOf('\n\n');
      }
    }
  };

  const attempt = async (): Promise<void> => {
    const controller = new AbortController();
    abort = controller;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const watchdog = (): void => {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(), SILENCE_LIMIT_MS);
    };
    try {
      watchdog();
      const response = await fetch(`${options.endpoint.replace(/\/$/, '')}/admin/events`, {
        signal: controller.signal,
        headers: { accept: 'text/event-stream', ...(options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {}) },
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        return;
      }
      connection(true);
      retryMs = FIRST_RETRY_MS;
      await readStream(response.body, watchdog);
    } catch {
      // Refused, reset, aborted: the region is down or going; tried again below.
    } finally {
      clearTimeout(silence);
      controller.abort();
    }
  };

  const loop = async (): Promise<void> => {
    while (!closed) {
      await attempt();
      if (closed) return;
      connection(false);
      await new Promise<void>((resolve) => { retryTimer = setTimeout(resolve, retryMs); });
      retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
    }
  };
  void loop();

  return {
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      abort?.abort();
    },
  };
}
