/**
 * The HTML report of a run: one file that opens from disk with nothing else, the replay page's
 * script and styles inlined and the run's timeline inlined as JSON, which the page reads.
 */
import { writeFileSync } from 'node:fs';
import { uiBundle } from '../console/bundle.js';
import type { RunTimeline } from './timeline.js';

/** The id of the <script type="application/json"> the replay page reads its run from. */
export const RUN_DATA_ID = 'run-data';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * JSON that cannot end its <script> element: every "<" becomes \u003c, still the same JSON. The line
 * and paragraph separators are escaped too, so the text is also valid as a script literal.
 */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export async function renderHtmlReport(timeline: RunTimeline): Promise<string> {
  const { js, css } = await uiBundle('replay');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(timeline.scenario)}</title>
<style>${css}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="${RUN_DATA_ID}">${inlineJson(timeline)}</script>
<script>${js}</script>
</body>
</html>
`;
}

export async function writeHtmlReport(path: string, timeline: RunTimeline): Promise<void> {
  writeFileSync(path, await renderHtmlReport(timeline));
}
