/**
 * The console page in a real browser (Debian's Chromium, driven by playwright-core) against real
 * regions and the console server: the guided race of two writes through the page, and a link cut
 * and healed from it. Screenshots go to test-artifacts/console/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from '../../src/console/server.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { freePort } from '../helpers/ports.js';

const CHROMIUM = '/usr/bin/chromium';
const installed = existsSync(CHROMIUM);
if (!installed) console.warn(`console browser test: skipping: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const ARTIFACTS = join(__dirname, '../../test-artifacts/console');
const [US, EU, AP] = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
/** Waits in the page: for a region's table to be created and replicated, for writes to meet. */
const PAGE_WAIT_MS = 60_000;

describe.skipIf(!installed)('the console page', () => {
  let cluster: TestCluster;
  let consoleServer: RunningConsole;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    cluster = await startCluster([US, EU, AP]);
    consoleServer = await startConsole({ regions: cluster.regions.map((r) => ({ name: r.name, endpoint: r.region.endpoint })), port: await freePort() });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(PAGE_WAIT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(consoleServer.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await consoleServer?.close();
    await cluster?.stop();
  });

  const pairChoice = () => page.getByRole('combobox', { name: 'Pair of regions' });
  const link = (source: string, target: string) => page.locator(`svg.region-graph [data-link="${source}→${target}"]`);

  it('shows every region and the links between them, live', async () => {
    for (const name of [US, EU, AP]) await expect.poll(() => page.locator(`svg.region-graph [data-region="${name}"]`).count()).toBe(1);
    await link(US, EU).waitFor();
    expect(await link(US, EU).getAttribute('data-state')).toBe('healthy');
    await page.screenshot({ path: join(ARTIFACTS, 'opened.png') });
  });

  it('races two writes in three clicks: the conflict explained, and the cells come to agree', async () => {
    await page.getByRole('tab', { name: /Race two writes/ }).click();
    const cut = page.getByRole('button', { name: '1. Cut the link' });
    // Step 0 happens on opening the demo: the table demo, global in both regions.
    await expect.poll(() => cut.isEnabled(), { timeout: PAGE_WAIT_MS }).toBe(true);

    await cut.click();
    await page.locator(`svg.region-graph [data-link="${US}→${EU}"][data-state="partitioned"]`).waitFor();
    await page.locator(`svg.region-graph [data-link="${EU}→${US}"][data-state="partitioned"]`).waitFor();

    await page.getByRole('button', { name: '2. Write in both' }).click();
    const race = page.locator('tr[data-row="id=race"]');
    await page.locator('tr[data-row="id=race"][data-agree="no"]').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'race-written.png') });

    await page.getByRole('button', { name: '3. Heal' }).click();
    const card = page.locator('.conflict-card.pointed');
    await card.waitFor();
    const explanation = await card.locator('.explanation').textContent();
    expect(explanation).toMatch(/^(us-east-1|eu-west-1)'s write won|equal timestamps/);
    expect(await card.textContent()).toContain('demo · id=race');
    await page.locator('tr[data-row="id=race"][data-agree="yes"].pointed').waitFor();
    const winner = explanation!.startsWith(US) ? US : EU;
    expect(await race.locator('td').first().textContent()).toContain(`from ${winner}`);
    await page.locator('.convergence [data-table="demo"][data-agree="yes"]').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'race-resolved.png') });
  });

  it("opens a key's history with a lane per region", async () => {
    await page.getByRole('button', { name: 'History of id=race' }).click();
    const history = page.locator('.key-history');
    await history.locator('.history-list li').first().waitFor();
    expect(await history.locator('.mark-written').count()).toBeGreaterThanOrEqual(2);
    expect(await history.locator('.mark-lost').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(ARTIFACTS, 'history.png') });
    await history.getByRole('button', { name: 'Close' }).click();
  });

  it('writes an item from the form, skews a clock, and offers no crash where the console did not start the regions', async () => {
    await page.getByRole('tab', { name: 'Write an item' }).click();
    const form = page.locator('form.item-form');
    await form.getByLabel('Region').selectOption(EU);
    await form.getByLabel('Table').fill('demo');
    await form.getByLabel('Key').fill('id = note');
    await form.getByLabel('Attributes').fill('text = from the form\ncount = 3');
    await form.getByRole('button', { name: 'Put' }).click();
    await form.getByRole('status').filter({ hasText: `PutItem done in ${EU}` }).waitFor();
    await page.locator('tr[data-row="id=note"][data-agree="yes"]').waitFor();
    expect(await page.locator('tr[data-row="id=note"] td').first().textContent()).toContain('count=3 text="from the form"');

    await page.getByRole('tab', { name: 'Regions and clocks' }).click();
    await page.getByRole('button', { name: `${US}: clock 2 s ahead` }).click();
    await expect.poll(() => page.locator(`svg.region-graph [data-region="${US}"]`).textContent()).toContain('skew +2 s');
    await page.screenshot({ path: join(ARTIFACTS, 'regions.png') });
    await page.getByRole('button', { name: `${US}: clock 2 s back` }).click();
    await expect.poll(() => page.locator(`svg.region-graph [data-region="${US}"]`).textContent()).toContain('skew ±0');
    const row = page.locator(`table.region-controls tr[data-region="${US}"]`);
    expect(await row.getByRole('button', { name: 'Crash' }).isDisabled()).toBe(true);
    expect(await row.textContent()).toContain('not started by this console');
  });

  it('partitions a pair from the page and heals it, and the links show it', async () => {
    // The mouse way: a link in the graph selects its pair and opens the link controls.
    await link(AP, US).click();
    await expect.poll(() => pairChoice().inputValue()).toBe(`${US}|${AP}`);
    await page.getByRole('button', { name: 'Partition pair' }).click();
    await page.locator(`svg.region-graph [data-link="${US}→${AP}"][data-state="partitioned"]`).waitFor();
    await page.locator(`svg.region-graph [data-link="${AP}→${US}"][data-state="partitioned"]`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'partitioned.png') });

    await page.getByRole('button', { name: 'Heal pair' }).click();
    await page.locator(`svg.region-graph [data-link="${US}→${AP}"][data-state="healthy"]`).waitFor();
    await page.locator(`svg.region-graph [data-link="${AP}→${US}"][data-state="healthy"]`).waitFor();

    // The keyboard way: a slowed direction, from the list, then everything healed from the header.
    await pairChoice().selectOption(`${EU}|${AP}`);
    await page.getByRole('button', { name: `Slow ${EU} → ${AP} (500 ms)` }).press('Enter');
    await page.locator(`svg.region-graph [data-link="${EU}→${AP}"][data-state="latency"]`).waitFor();
    await page.getByRole('button', { name: 'Heal everything' }).click();
    await page.locator(`svg.region-graph [data-link="${EU}→${AP}"][data-state="healthy"]`).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
