// The simulator in a real browser: a customer checks their water use, reports an issue and pays a bill, all
// through the page, and the receipt and the operations alert arrive in the inboxes beside the phone.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemTool } from '../../../scripts/system-tools.js';
import { loadConfig } from '../src/config.js';
import { startWaterServer, type WaterServer } from '../src/server.js';

const chromiumTool = systemTool('chromium');
const CHROMIUM = chromiumTool.path ?? 'chromium';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PHONE = '+254711000111';
const OPS_PHONE = '+254700000001';

let server: WaterServer;
let browser: Browser;
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

describe.skipIf(chromiumTool.skip)(chromiumTool.suite, () => {
  beforeAll(async () => {
    if (!chromiumTool.path) {
      throw new Error(
        "chromium is not on PATH: install Debian's chromium (apt-get install -y chromium) to run this test",
      );
    }
    server = await startWaterServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: tempDir('rolax-sim-data-'),
        LOG_LEVEL: 'silent',
        OPS_PHONES: OPS_PHONE,
      }),
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-quic',
        '--no-first-run',
        '--disable-sync',
      ],
      // launch() already gives the browser a fresh temporary profile.
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** The phone's screen as the visitor reads it. */
  const screenOf = (page: Page) => page.getByRole('status', { name: 'Phone screen' });

  async function screenShows(page: Page, text: string) {
    await expect.poll(() => screenOf(page).textContent(), { timeout: 5000 }).toContain(text);
  }

  async function reply(page: Page, value: string, expected: string) {
    const input = page.getByRole('textbox', { name: 'Reply' });
    await expect.poll(() => input.isEnabled()).toBe(true);
    await input.fill(value);
    await input.press('Enter');
    await screenShows(page, expected);
  }

  async function dial(page: Page) {
    await page.getByRole('button', { name: 'Dial' }).click();
    await screenShows(page, '1. Check water use');
  }

  it('checks use, reports an issue and pays a bill from the simulator page', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    await page.goto(`${server.url}/simulator`);
    await page.getByLabel('Demo customer').selectOption(PHONE);
    await expect.poll(() => page.getByLabel('Phone number').inputValue()).toBe(PHONE);
    expect(await page.getByLabel('USSD code').inputValue()).toBe('*384*123#');

    // Consumption of the home account.
    await dial(page);
    expect(await page.locator('#budget-text').textContent()).toMatch(/^\d+ \/ 160 chars$/);
    await reply(page, '1', 'Choose account');
    await reply(page, '1', 'm3');
    await screenShows(page, 'Acc 1001');

    // A fault report: the customer gets a confirmation, the operations phone an alert.
    await dial(page);
    await reply(page, '3', 'Choose account');
    await reply(page, '2', 'What is the problem?');
    // Low pressure: the kiosk's no-water report is already open, and a repeat would fold into it.
    await reply(page, '4', 'Describe it');
    await reply(page, 'Tap dry since morning', 'Thank you. Issue');
    const alerts = page.getByRole('list', { name: 'Operations alerts' });
    await expect.poll(() => alerts.textContent(), { timeout: 5000 }).toContain('Tap dry since morning');

    // The open bill of account 1001, paid in full.
    await dial(page);
    await reply(page, '2', 'Choose account');
    await reply(page, '1', 'Acc 1001 balance');
    await reply(page, '1', 'M-Pesa');
    await reply(page, '2', 'Enter your M-Pesa PIN');
    const reference = /Ref (\S+)/.exec((await screenOf(page).textContent()) ?? '')?.[1];
    expect(reference).toMatch(/^PAY-1001-/);

    const pin = page.getByLabel('M-Pesa PIN');
    await pin.waitFor({ timeout: 5000 });
    expect(await page.locator('.stk').textContent()).toContain(reference);
    await pin.fill('1234');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();

    await expect.poll(() => server.fakes!.payments.find(reference!)?.mpesaReference, { timeout: 5000 }).toBeTruthy();
    const mpesaReference = server.fakes!.payments.find(reference!)!.mpesaReference!;
    const inbox = page.getByRole('list', { name: 'SMS inbox' });
    await expect.poll(() => inbox.textContent(), { timeout: 8000 }).toContain(mpesaReference);
    const receipt = await inbox.getByRole('listitem').filter({ hasText: mpesaReference }).textContent();
    expect(receipt).toContain('received');
    await expect.poll(() => page.getByLabel('M-Pesa PIN').count()).toBe(0);

    // Let the arrival highlight fade before the pictures.
    await page.waitForTimeout(1700);
    mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'artifacts/simulator.png') });
    // The README's picture is refreshed on request only, so a test run leaves the tree clean.
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: join(ROOT, 'docs/simulator.png') });

    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: join(ROOT, 'artifacts/simulator-narrow.png'), fullPage: true });
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);

    const origin = new URL(server.url).origin;
    const foreign = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
