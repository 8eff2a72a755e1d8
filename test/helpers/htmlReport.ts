/** Reading an HTML report back: the run it inlines, as the replay page reads it. */
import { RUN_DATA_ID } from '../../src/scenario/htmlReport.js';
import type { RunTimeline } from '../../src/scenario/timeline.js';

export function runDataOf(html: string): RunTimeline {
  const match = new RegExp(`<script type="application/json" id="${RUN_DATA_ID}">([^<]*)</script>`).exec(html);
  if (!match) throw new Error('no run data in the page');
  return JSON.parse(match[1]!) as RunTimeline;
}
