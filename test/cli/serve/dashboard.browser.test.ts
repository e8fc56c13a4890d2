/**
 * The dashboard in a real browser: Debian's Chromium, driven by playwright-core. It opens the page,
 * simulates an outage of payments (approval mode), approves it through the approval page's POST and
 * sees the failover complete and the active site change; then runs a drill of case-management and sees
 * its measured RTO. Screenshots go to reports/screenshots/ (ignored by git, kept by CI as artifacts).
 *
 * Without Chromium the test is skipped, naming how to install it — except in CI (`CI` set), where a
 * missing browser fails the run.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeRun, startServe } from './serve-harness.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = 'reports/screenshots';
const missing = existsSync(CHROMIUM)
  ? undefined
  : `Chromium not found at ${CHROMIUM}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH`;
// Waits are for what the page shows, never for a time; this bounds them when something is wrong.
const UP_TO = { timeout: 60_000 };

describe('dashboard in Chromium', () => {
  if (missing) {
    if (process.env['CI']) it('has Chromium to run the dashboard test (CI)', () => expect.fail(missing));
    else it.skip(missing, () => {});
    return;
  }

  let serve: ServeRun;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    // 20 simulated minutes a second, ticking 5 times a second: restores take a tick or two.
    serve = await startServe({ speed: 1200, tickMs: 200 });
    // Root in a container has no user namespace for Chromium's sandbox.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('shows every example application with its freshness bars, active site and evidence', async () => {
    await page.goto(serve.url);
    for (const app of ['case-management', 'citizen-portal', 'payments'])
      await page.locator(`#card-${app} table svg[role="img"]`).first().waitFor(UP_TO);
    expect(await page.locator('#card-payments .site').textContent()).toBe('Active site: primary');
    expect(await page.locator('#evidence article').count()).toBe(3);
    expect(await page.getByLabel('Your name (recorded with every approval or rejection)').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard.png`, fullPage: true });
  });

  it('simulates an outage of payments, approves it, and sees the failover complete on the recovery site', async () => {
    const card = page.locator('#card-payments');
    await card.getByRole('button', { name: 'Simulate outage' }).click();
    const approve = card.getByRole('button', { name: 'Approve failover of payments' });
    await approve.waitFor(UP_TO);
    await page.screenshot({ path: `${SCREENSHOTS}/awaiting-approval.png`, fullPage: true });
    await page.getByLabel('Your name (recorded with every approval or rejection)').fill('Browser Test');
    await card.getByLabel('Comment (optional)').fill('game day');
    await approve.click();
    await card.locator('.failover', { hasText: 'Failover: completed' }).waitFor(UP_TO);
    await card.locator('.site', { hasText: 'recovery' }).waitFor(UP_TO);
    expect(await card.locator('.site').textContent()).toBe('Active site: recovery');
    expect(await card.locator('.timeline').textContent()).toMatch(/awaiting-approval .* → restoring/);
    // The outage button's result line says when it was pressed: history, not the failover's state now.
    expect(await card.locator('output.result').first().textContent()).toMatch(
      /^At \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z: /,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/failover-completed.png`, fullPage: true });
  });

  it('runs a drill of case-management and shows its measured RTO', async () => {
    const card = page.locator('#card-case-management');
    await card.getByRole('button', { name: 'Run drill' }).click();
    await card.locator('.drill-line', { hasText: 'measured RTO' }).waitFor(UP_TO);
    expect(await card.locator('.drill-line').textContent()).toMatch(
      /Last drill completed .*measured RTO \d+[hms]/,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/drill-measured.png`, fullPage: true });
  });

  it('ran without a script error or a Content Security Policy violation', () => {
    expect(consoleErrors).toEqual([]);
  });
});
