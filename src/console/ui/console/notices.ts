/** The live actions, each saying on the page what it does and whether it worked. */
import type { ConsoleActions, LinkUpdate } from '../components/actions.js';
import { lagText, skewText } from '../components/format.js';

export interface Notice { text: string; ok: boolean }

export function withNotices(actions: ConsoleActions, notify: (notice: Notice) => void): ConsoleActions {
  const report = <A extends unknown[]>(what: (...args: A) => string, run: (...args: A) => Promise<void>) => async (...args: A): Promise<void> => {
    try {
      await run(...args);
      notify({ text: what(...args), ok: true });
    } catch (error) {
      notify({ text: `${what(...args)} failed: ${(error as Error).message}`, ok: false });
      throw error;
    }
  };
  return {
    dynamodb: actions.dynamodb,
    history: actions.history,
    setLink: report((target, source, update) => `link ${source} → ${target} ${linkUpdateText(update)}`, actions.setLink),
    healLinks: report((region) => `links into ${region} healed`, actions.healLinks),
    setClock: report((region, clock) => `${region} clock: ${[clock.mode, clock.skewMs !== undefined ? `skew ${skewText(clock.skewMs)}` : ''].filter(Boolean).join(', ')}`, actions.setClock),
    crash: report((region) => `${region} crashed`, actions.crash),
    restart: report((region) => `${region} restarted`, actions.restart),
  };
}

function linkUpdateText(update: LinkUpdate): string {
  if (update.stalled) return 'stalled';
  if (update.latencyMs) return `slowed by ${lagText(update.latencyMs)}`;
  if (update.stalled === false && !update.latencyMs) return 'healed';
  return 'changed';
}
