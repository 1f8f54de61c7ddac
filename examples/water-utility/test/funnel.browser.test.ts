// The menu funnel page in a real browser: scripted sessions leave the menu on chosen screens, and the page draws
// each screen with the sessions that reached it and the drop-off there.
import { ussdTester } from '@rolax/ussd-core/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemTool } from '../../../scripts/system-tools.js';
import { http, OPS_TOKEN, startService } from './harness.js';

const chromiumTool = systemTool('chromium');

describe.skipIf(chromiumTool.skip)(chromiumTool.suite, () => {
  describe('menu funnel page in Chromium', () => {
    let svc: Awaited<ReturnType<typeof startService>>;
    let h: ReturnType<typeof http>;
    let browser: Browser;

    beforeAll(async () => {
      if (!chromiumTool.path)
        throw new Error("chromium is not on PATH: install Debian's chromium (apt-get install -y chromium)");
      svc = await startService();
      h = http(svc.server);
      browser = await chromium.launch({
        executablePath: chromiumTool.path,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
      await svc?.server.close();
      svc?.removeData();
    });

    /** One session that walks `inputs` and then ends as Africa's Talking reports it. */
    async function session(id: string, phone: string, inputs: string[], status: 'Incomplete' | 'Failed' | 'Success') {
      const s = ussdTester({ url: `${svc.server.url}/ussd` }).session({ phoneNumber: phone, sessionId: id });
      await s.dial();
      for (const input of inputs) await s.input(input);
      const res = await h.call(
        'POST',
        '/ussd/events',
        new URLSearchParams({
          date: '2026-11-27 10:00:00',
          sessionId: id,
          serviceCode: '*384*123#',
          phoneNumber: phone,
          networkCode: '63902',
          status,
          cost: 'KES 0.10',
          durationInMillis: '20000',
          hopsCount: String(inputs.length + 1),
          input: inputs.join('*'),
          lastAppResponse: 'CON ...',
          ...(status === 'Failed' ? { errorMessage: 'timeout' } : {}),
        }),
      );
      expect(res.status).toBe(200);
    }

    it('shows where the scripted sessions dropped off', async () => {
      const jane = '+254711000111';
      const otieno = '+254722000222';
      // 4 hang up on the home screen, 3 on the account choice, 2 time out on the bill, 1 reports nothing and quits.
      for (let i = 0; i < 4; i++) await session(`home-${i}`, otieno, [], 'Incomplete');
      for (let i = 0; i < 3; i++) await session(`choose-${i}`, jane, ['2'], 'Incomplete');
      for (let i = 0; i < 2; i++) await session(`bill-${i}`, jane, ['2', '1'], 'Failed');
      await session('bye-0', otieno, ['5'], 'Success');

      const view = (await h.ops('GET', '/funnel')).json;
      const counts = Object.fromEntries(view.screens.map((s: any) => [s.screen, s]));
      expect(counts.home).toMatchObject({ reached: 10, left: 4, timedOut: 0 });
      expect(counts.chooseAccount).toMatchObject({ reached: 5, left: 3, timedOut: 0 });
      expect(counts.bill).toMatchObject({ reached: 2, left: 0, timedOut: 2 });

      const page = await browser.newPage();
      await page.goto(`${svc.server.url}/funnel#token=${OPS_TOKEN}`);
      const node = (screen: string) => page.locator(`[data-screen="${screen}"]`);
      await node('home').waitFor();
      expect(await node('home').getAttribute('data-reached')).toBe('10');
      expect(await node('home').getAttribute('data-dropoff')).toBe('4');
      expect(await node('home').textContent()).toContain('drop-off 4 (40%)');
      expect(await node('chooseAccount').getAttribute('data-dropoff')).toBe('3');
      expect(await node('chooseAccount').textContent()).toContain('drop-off 3 (60%): left 3, timed out 0');
      expect(await node('bill').textContent()).toContain('drop-off 2 (100%): left 0, timed out 2');
      // Every screen of the menu is drawn, with the edges between them.
      expect(await page.locator('[data-screen]').count()).toBe(view.screens.length);
      expect(await page.locator('path.edge').count()).toBeGreaterThan(10);
      // The token left the address bar.
      expect(page.url()).not.toContain(OPS_TOKEN);
      await page.close();
    });
  });
});
