/** What a publisher says in its region's log: a problem once (not four times a second), getting stuck and unstuck. */
import type { StuckListener } from './publishStuck.js';

export function publisherLogging(log: (message: string) => void, trueNowMs: () => number): { onError: (error: unknown) => void; onStuck: StuckListener } {
  let lastError = '';
  return {
    onError: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) log(`${message} (retrying)`);
      lastError = message;
    },
    onStuck: (stuck, previous) => {
      if (stuck) log(`stuck at lsn ${stuck.lsn}: ${stuck.message}; nothing after it is published until it is (retrying every few seconds)`);
      else if (previous) log(`lsn ${previous.lsn} published after ${Math.round((trueNowMs() - previous.sinceMs) / 1000)} s stuck; publishing again`);
    },
  };
}
