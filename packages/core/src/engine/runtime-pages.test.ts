import { describe, expect, it } from 'vitest';
import { createMenu } from '../menu/dsl.js';
import { ussdTester } from '../testing/tester.js';
import { silentLogger } from '../util/logger.js';
import { createUssdApp } from './app.js';

// Safaricom (63902): 160 septets, or 70 UTF-16 units once a screen holds one character outside GSM-7.
const LONG_UCS2 = 'Лицевой счёт водоснабжения семьи Ивановых, улица Пушкина, дом сорок два';

interface Ctx {
  picked?: string;
}
const m = createMenu<Ctx>();
const menu = m.define({
  id: 'runtime-pages',
  version: 1,
  initialContext: () => ({}),
  start: 'home',
  screens: {
    home: m.menu({
      text: 'Pick an account',
      // Computed at run time, so the build cannot refuse it: the engine must page it.
      options: () =>
        Array.from({ length: 30 }, (_, i) => ({
          label: i === 3 ? LONG_UCS2 : `Account ${i + 1}`,
          next: 'picked',
          set: () => ({ picked: String(i + 1) }),
        })),
      targets: ['picked'],
    }),
    picked: m.end({ text: (c) => `Picked ${c.picked}` }),
  },
});

describe('a computed option too long for any page', () => {
  it('gets a page of its own, cut with a visible ellipsis, and every option stays reachable through 98', async () => {
    const app = createUssdApp({ menu, logger: silentLogger });
    const s = ussdTester(app).session({ networkCode: '63902' });
    const pages = [(await s.dial()).text];
    for (let n = 0; n < 10 && !pages.at(-1)!.includes('30. '); n++) {
      const r = await s.input('98');
      expect(r.type).toBe('CON');
      pages.push(r.text);
    }
    const shown = pages.flatMap((p) => p.split('\n'));
    for (let k = 1; k <= 30; k++) expect(shown.filter((l) => l.startsWith(`${k}. `))).toHaveLength(1);

    const page4 = pages.find((p) => p.includes('4. Лиц'))!;
    const [line4] = page4.split('\n').filter((l) => l.startsWith('4. '));
    // Alone with its footer: "CON " + line + "\n98. More\n0. Back" is exactly 70 units, and it says it was cut.
    expect(page4).toBe(`${line4}\n98. More\n0. Back`);
    expect(line4!.endsWith('...')).toBe(true);
    expect(`CON ${page4}`.length).toBe(70);
    expect(LONG_UCS2.startsWith(line4!.slice(3, -3))).toBe(true);
    // The options around it keep their GSM-7 pages and are not cut.
    expect(shown).toContain('3. Account 3');
    expect(shown).toContain('5. Account 5');

    await s.input('30');
    s.expectEnd('Picked 30');
  });

  it('still picks the long option by its key', async () => {
    const app = createUssdApp({ menu, logger: silentLogger });
    const s = ussdTester(app).session({ networkCode: '63902' });
    await s.dial();
    await s.input('4');
    s.expectEnd('Picked 4');
  });
});
