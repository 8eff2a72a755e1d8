/** A fault in words, as the event feed tells it: "link from eu-west-1 stalled", "clock skew −2 s (wall)". */
import { durationText } from '../core/conflictExplanation.js';
import type { LinkSettings } from '../nats/link.js';

/** Signed, with a true minus sign: a skew reads at a glance. */
function signedDuration(ms: number): string {
  if (ms === 0) return '0 ms';
  return `${ms < 0 ? '\u2212' : '+'}${durationText(Math.abs(ms))}`;
}

export function clockFaultText(clock: { mode: 'hlc' | 'wall'; skewMs: number }): string {
  return `clock skew ${signedDuration(clock.skewMs)} (${clock.mode})`;
}

/** An update names what it set: the stall, and latency with jitter as the link now has them. */
export function linkFaultText(source: string, what: 'healed' | 'reset' | 'updated', update: Partial<LinkSettings> = {}, settings?: LinkSettings): string {
  const link = `link from ${source}`;
  if (what === 'healed') return `${link} healed`;
  if (what === 'reset') return `${link} reset: its connections dropped`;
  const parts: string[] = [];
  if (update.stalled === true) parts.push('stalled');
  if (update.stalled === false) parts.push('no longer stalled');
  if (settings && (update.latencyMs !== undefined || update.jitterMs !== undefined)) {
    parts.push(`latency ${durationText(settings.latencyMs)}, jitter ${durationText(settings.jitterMs)}`);
  }
  if (!parts.length) return `${link} unchanged`;
  return `${link}${parts[0].startsWith('latency') ? ':' : ''} ${parts.join('; ')}`;
}
