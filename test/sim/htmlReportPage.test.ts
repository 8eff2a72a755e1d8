/**
 * The replay page in a browser: a simulated run's report opened from disk (no server, no network),
 * stepped with the keyboard from the start to the partition and to the last step; the table's cells
 * and the conflict's explanation are what the run held then. Screenshots go to
 * test-artifacts/report/. Needs Chromium at /usr/bin/chromium; skipped, with a message, without it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { writeHtmlReport } from '../../src/scenario/htmlReport.js';
import { runScenario } from '../../src/scenario/runner.js';
import { TimelineRecorder } from '../../src/scenario/timeline.js';
import { startSimTargets } from '../../src/sim/scenarioTargets.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the replay page's browser test: no Chromium at ${CHROMIUM}`);

const ARTIFACTS = resolve('test-artifacts/report');
const dir = mkdtempSync(join(tmpdir(), 'globaltables-report-page-'));
let browser: Browser | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function reportOf(file: string): Promise<{ path: string; steps: number }> {
  const scenario = loadScenario(file);
  const recorder = new TimelineRecorder(scenario);
  const report = await runScenario(scenario, { log: () => {}, targets: startSimTargets, observer: recorder });
  const path = join(dir, `${scenario.name.replace(/\W+/g, '-')}.html`);
  await writeHtmlReport(path, recorder.timeline(report));
  return { path, steps: report.steps.length };
}

/** Opens the page; every request it makes and every error it throws is kept. */
async function open(path: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.goto(pathToFileURL(path).href);
  await page.locator('.run-header h1').waitFor();
  return { page, requests, errors };
}

describe.skipIf(!hasChromium)('the replay page', () => {
  it('steps through a partition and its conflict, from disk', async () => {
    const { path, steps } = await reportOf('scenarios/partition-concurrent-writes.yaml');
    const { page, requests, errors } = await open(path);
    await expect.poll(() => page.locator('.verdict').textContent()).toBe('PASSED');
    await expect.poll(() => page.locator('.replay-command code').textContent()).toBe('globaltables run scenarios/partition-concurrent-writes.yaml --sim --seed 2');
    await expect.poll(() => page.locator('.strip .mark.conflict').count()).toBe(1);
    await expect.poll(() => page.locator('.strip .step').count()).toBe(steps);

    // Playing moves the time on by itself; space pauses it.
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('.scrubber .clock').textContent()).toMatch(/^0 ms \//);
    await page.keyboard.press(' ');
    await expect.poll(() => page.locator('.scrubber .clock').textContent()).not.toMatch(/^0 ms \//);
    await page.keyboard.press(' ');
    await expect.poll(() => page.locator('.scrubber .play').textContent()).toContain('play');

    // From the start, step by step to the get in eu-west-1 during the partition (step 10).
    await page.keyboard.press('Home');
    for (let i = 0; i < 10; i += 1) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.scrubber .now').textContent()).toMatch(/^step 10\/14 get/);
    const row = page.locator('table.items tr[data-row]');
    await expect.poll(() => row.getAttribute('data-agree')).toBe('no');
    await expect.poll(() => page.locator('td.cell.differs').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-link][data-state="partitioned"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'partition-step-10.png'), fullPage: true });

    // To the last step: every cell the winner's, and the conflict explained.
    for (let i = 10; i < steps; i += 1) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.scrubber .now').textContent()).toMatch(/^step 14\/14 expect/);
    await expect.poll(() => row.getAttribute('data-agree')).toBe('yes');
    const cells = await page.locator('table.items td.cell .value').allTextContents();
    expect(cells).toHaveLength(3);
    for (const cell of cells) expect(cell).toContain('note="from eu-west-1"');
    await expect.poll(() => page.locator('.conflict-card .explanation').first().textContent()).toMatch(/^eu-west-1's write won: its timestamp was \d+ ms newer$/);
    await expect.poll(() => page.locator('.expectations li.ok').count()).toBeGreaterThan(5);
    await page.screenshot({ path: join(ARTIFACTS, 'partition-last-step.png'), fullPage: true });

    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows a crash and a restart in the strip and the region graph', async () => {
    const { path } = await reportOf('scenarios/region-crash-recovery.yaml');
    const { page, errors } = await open(path);
    await expect.poll(() => page.locator('.strip .mark.crash').count()).toBe(1);
    await expect.poll(() => page.locator('.strip .mark.restart').count()).toBe(1);
    // Just after the crash step, the crashed region is drawn down.
    const crash = page.locator('.steps li', { hasText: 'crashRegion' });
    await crash.click();
    await expect.poll(() => page.locator('.region-graph .region-node.down').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'crash.png'), fullPage: true });
    // Step by step, each step gets one slot: a click in the crash's slot shows the region down.
    await page.getByRole('button', { name: 'step by step' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'step by step' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('.region-graph .region-node.down').count()).toBe(0);
    const strip = page.locator('svg.strip');
    const box = (await strip.boundingBox())!;
    const slots = await page.locator('.strip .step').count();
    const crashSlot = await page.locator('.steps li').evaluateAll((items) => items.findIndex((li) => li.textContent!.startsWith('crashRegion')));
    await strip.click({ position: { x: ((crashSlot + 0.99) / slots) * box.width, y: 30 } });
    await expect.poll(() => page.locator('.region-graph .region-node.down').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'crash-step-by-step.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
