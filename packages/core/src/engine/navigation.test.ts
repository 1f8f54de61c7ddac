import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createMenu } from '../menu/dsl.js';
import { memorySessionStore } from '../stores/memory.js';
import { ussdTester } from '../testing/tester.js';
import { silentLogger } from '../util/logger.js';
import { createUssdApp } from './app.js';

interface Ctx {
  picked?: string;
  amount?: number;
}
const m = createMenu<Ctx>();
const fruit = ['Apples', 'Bananas', 'Cherries', 'Dates', 'Elderberries', 'Figs', 'Grapes', 'Honeydew melons'];
const menu = m.define({
  id: 'navigation',
  version: 1,
  initialContext: () => ({}),
  start: 'home',
  screens: {
    home: m.menu({
      text: 'Home',
      options: [
        { label: 'Shop', next: 'shop' },
        { label: 'Pay', next: 'amount' },
      ],
    }),
    shop: m.menu({ text: 'Shop', options: [{ label: 'Fruit', next: 'fruit' }] }),
    // Long labels so that 160 septets hold three of them: the list needs three pages.
    fruit: m.menu({
      text: 'Fruit',
      options: fruit.map((f) => ({
        label: `${f} from the valley farms, fresh`,
        next: 'picked',
        set: () => ({ picked: f }),
      })),
    }),
    amount: m.prompt({
      text: 'Enter amount',
      schema: z.coerce.number().int().positive(),
      save: (_c, amount) => ({ amount }),
      next: 'paid',
      resumable: true,
    }),
    paid: m.end({ text: (c) => `Paid ${c.amount}` }),
    picked: m.end({ text: (c) => `Picked ${c.picked}` }),
  },
});

const firstLine = (t: string) => t.split('\n')[0];

describe('navigation keys: 98 next page, 0 back a page or a screen, 00 home', () => {
  async function onFruit() {
    const app = createUssdApp({ menu, logger: silentLogger });
    const s = ussdTester(app).session();
    await s.dial();
    await s.input('1');
    s.expectScreen('Shop');
    await s.input('1');
    return s;
  }

  it('pages forward with 98 and back one page at a time with 0', async () => {
    const s = await onFruit();
    const page1 = s.last!.text;
    expect(firstLine(page1)).toBe('Fruit');
    expect(page1).toContain('98. More');
    expect(page1).not.toContain('0. Back');
    const page2 = (await s.input('98')).text;
    expect(page2).toMatch(/^4\. Dates/);
    expect(page2).toContain('0. Back');
    const page3 = (await s.input('98')).text;
    expect(page3).toMatch(/^7\. Grapes/);
    expect(page3).not.toContain('98. More');
    // Back from a later page goes to the page before it, not to the screen before.
    expect((await s.input('0')).text).toBe(page2);
    expect((await s.input('0')).text).toBe(page1);
    // Back from the first page goes to the screen before.
    expect((await s.input('0')).text).toBe('Shop\n1. Fruit');
    expect((await s.input('0')).text).toBe('Home\n1. Shop\n2. Pay');
    // Nothing before home: 0 stays there.
    expect((await s.input('0')).text).toBe('Home\n1. Shop\n2. Pay');
  });

  it('goes home with 00 from any page, two screens deep, and forgets the way back', async () => {
    const s = await onFruit();
    await s.input('98');
    expect((await s.input('00')).text).toBe('Home\n1. Shop\n2. Pay');
    expect((await s.input('0')).text).toBe('Home\n1. Shop\n2. Pay');

    const t = await onFruit();
    expect((await t.input('00')).text).toBe('Home\n1. Shop\n2. Pay');
  });

  it('chooses an option on a later page by its key, and treats 98 on the last page as a choice', async () => {
    const s = await onFruit();
    await s.input('98');
    await s.input('98');
    expect((await s.input('98')).text).toMatch(/^Invalid choice\.\nFruit\n1\. Apples/);
    const u = await onFruit();
    await u.input('98');
    await u.input('8');
    u.expectEnd('Picked Honeydew melons');
  });
});

describe('resume lifetime', () => {
  afterEach(() => vi.useRealTimers());

  async function dropOnPrompt(now: () => number, resume?: { ttlSeconds: number }) {
    const app = createUssdApp({ menu, logger: silentLogger, store: memorySessionStore({ now }), resume });
    const tester = ussdTester(app, { phoneNumber: '+254700000001' });
    const s = tester.session();
    await s.dial();
    await s.input('2');
    s.expectScreen('Enter amount');
    return tester;
  }

  it('offers the dropped prompt for five minutes by default, and not after', async () => {
    let t = 1_000_000;
    const tester = await dropOnPrompt(() => t);
    t += 299_000;
    const again = tester.session();
    await again.dial();
    again.expectScreen('Continue where you left off?');
    await again.input('1');
    again.expectScreen('Enter amount');

    t += 301_000;
    const late = tester.session();
    await late.dial();
    expect(late.last!.text).toBe('Home\n1. Shop\n2. Pay');
  });

  it('keeps a configured lifetime', async () => {
    let t = 1_000_000;
    const tester = await dropOnPrompt(() => t, { ttlSeconds: 60 });
    t += 61_000;
    const late = tester.session();
    await late.dial();
    expect(late.last!.text).toBe('Home\n1. Shop\n2. Pay');
  });
});
