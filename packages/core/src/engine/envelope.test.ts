import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hubtelUssd } from '../gateways/hubtel.js';
import { createMenu } from '../menu/dsl.js';
import { memorySessionStore } from '../stores/memory.js';
import { silentLogger } from '../util/logger.js';
import { createUssdApp } from './app.js';

const m = createMenu<{ picked: string | null; n: number; amount?: number }>();
const menu = m.define({
  id: 'migrate',
  version: 1,
  initialContext: () => ({ picked: null, n: 0 }),
  start: 'home',
  screens: {
    home: m.menu({
      text: (c) => `Home ${c.n}`,
      options: [
        { label: 'Shop', next: 'shop', set: (c) => ({ n: c.n + 1 }) },
        { label: 'Pay', next: 'amount' },
      ],
    }),
    shop: m.menu({
      text: (c) => `Shop ${c.n}`,
      options: [{ label: 'Fruit', next: 'fruit', set: () => ({ picked: 'figs' }) }],
    }),
    fruit: m.menu({ text: (c) => `Picked ${c.picked}`, options: [{ label: 'Again', next: 'shop' }] }),
    amount: m.prompt({
      text: 'Enter amount',
      schema: z.coerce.number().int().positive(),
      save: (_c, amount) => ({ amount }),
      next: 'paid',
      resumable: true,
    }),
    paid: m.end({ text: (c) => `Paid ${c.amount}` }),
  },
});

// Written by the previous release (envelope version 2) for the menu above: Africa's Talking, dial, 1, 1.
const v2Path =
  '{"v":2,"machineId":"migrate","machineVersion":"1","transcript":"1*1","lastReply":"CON Picked figs\\n1. Again","ended":false,"snapshot":{"status":"active","value":"fruit","historyValue":{},"context":{"data":{"picked":"figs","n":1},"session":null,"error":null,"attempts":0},"children":{}},"history":[{"status":"active","value":"home","historyValue":{},"context":{"data":{"picked":null,"n":0},"session":null,"error":null,"attempts":0},"children":{}},{"status":"active","value":"shop","historyValue":{},"context":{"data":{"picked":null,"n":1},"session":null,"error":null,"attempts":0},"children":{}}],"page":0,"earlier":[["","CON Home 0\\n1. Shop\\n2. Pay"],["1","CON Shop 1\\n1. Fruit"]],"updatedAt":1800000000000}';
// The same on Hubtel: Initiation (Sequence 1), 1 (2), 1 (3).
const v2Hubtel =
  '{"v":2,"machineId":"migrate","machineVersion":"1","transcript":"1*1","lastReply":"CON Picked figs\\n1. Again","ended":false,"snapshot":{"status":"active","value":"fruit","historyValue":{},"context":{"data":{"picked":"figs","n":1},"session":null,"error":null,"attempts":0},"children":{}},"history":[{"status":"active","value":"home","historyValue":{},"context":{"data":{"picked":null,"n":0},"session":null,"error":null,"attempts":0},"children":{}},{"status":"active","value":"shop","historyValue":{},"context":{"data":{"picked":null,"n":1},"session":null,"error":null,"attempts":0},"children":{}}],"page":0,"hop":3,"earlier":[["#1","CON Home 0\\n1. Shop\\n2. Pay"],["#2","CON Shop 1\\n1. Fruit"]],"updatedAt":1800000000000}';
// A resume point of the previous release: dropped on the amount prompt, home behind it.
const v2Resume =
  '{"snapshot":{"status":"active","value":"amount","historyValue":{},"context":{"data":{"picked":null,"n":0},"session":null,"error":null,"attempts":0},"children":{}},"history":[{"status":"active","value":"home","historyValue":{},"context":{"data":{"picked":null,"n":0},"session":null,"error":null,"attempts":0},"children":{}}]}';

function setup(codec?: typeof hubtelUssd) {
  const store = memorySessionStore();
  const app = createUssdApp({ menu, store, codec, logger: silentLogger, now: () => 1_800_000_001_000 });
  const at = async (sessionId: string, text: string, phoneNumber = '+254711000111') =>
    (await app.handleHttp({ body: { sessionId, phoneNumber, serviceCode: '*384#', text } })).body;
  return { app, store, at };
}

describe('envelopes written by the previous version', () => {
  it('are read: the session goes on, back and home restore each screen with its context', async () => {
    const { store, at } = setup();
    await store.set('ussd:migrate:africastalking:old', v2Path, 300);
    // A late re-send of the first hop gets the reply it got then.
    expect(await at('old', '1')).toBe('CON Shop 1\n1. Fruit');
    expect(await at('old', '1*1*0')).toBe('CON Shop 1\n1. Fruit');
    expect(await at('old', '1*1*0*1')).toBe('CON Picked figs\n1. Again');
    expect(await at('old', '1*1*0*1*00')).toBe('CON Home 0\n1. Shop\n2. Pay');
    // Rewritten in the current version on its first write.
    expect(JSON.parse((await store.get('ussd:migrate:africastalking:old')) ?? '{}').v).toBe(3);
  });

  it('keep their numbered hops on Hubtel', async () => {
    const { store, app } = setup(hubtelUssd);
    await store.set('ussd:migrate:hubtel:h1', v2Hubtel, 300);
    const hop = async (Message: string, Sequence: number) =>
      JSON.parse(
        (
          await app.handleHttp({
            body: {
              SessionId: 'h1',
              Mobile: '233241234567',
              ServiceCode: '*713#',
              Type: 'Response',
              Message,
              Sequence,
            },
          })
        ).body,
      ).Message;
    expect(await hop('1', 2)).toBe('Shop 1\n1. Fruit');
    expect(await hop('0', 4)).toBe('Shop 1\n1. Fruit');
    expect(await hop('0', 5)).toBe('Home 0\n1. Shop\n2. Pay');
  });

  it('offer their resume points', async () => {
    const { store, at } = setup();
    await store.set('resume:migrate:+254722000222', v2Resume, 300);
    expect(await at('new', '', '+254722000222')).toBe('CON Continue where you left off?\n1. Continue\n2. Start over');
    expect(await at('new', '1', '+254722000222')).toBe('CON Enter amount');
    expect(await at('new', '1*0', '+254722000222')).toBe('CON Home 0\n1. Shop\n2. Pay');
  });

  it('restart the session politely when their version is unknown or a delta does not apply', async () => {
    const { store, at } = setup();
    const v9 = v2Path.replace('"v":2', '"v":9');
    await store.set('ussd:migrate:africastalking:a', v9, 300);
    expect(await at('a', '1*1*0')).toBe('CON Your session was restarted.\nHome 0\n1. Shop\n2. Pay');
    const broken = `{"v":3,"menu":"migrate@1","transcript":"1","lastReply":"CON Shop 1\\n1. Fruit","snapshot":["shop",{"data":1}],"updatedAt":1}`;
    await store.set('ussd:migrate:africastalking:b', broken, 300);
    expect(await at('b', '1*1')).toBe('CON Your session was restarted.\nHome 0\n1. Shop\n2. Pay');
  });
});

describe('resume points', () => {
  it('are not offered to another version of the menu', async () => {
    const store = memorySessionStore();
    const v1 = createUssdApp({ menu, store, logger: silentLogger });
    const v2 = createUssdApp({ menu: { ...menu, version: 2 }, store, logger: silentLogger });
    const at = async (app: typeof v1, sessionId: string, text: string) =>
      (await app.handleHttp({ body: { sessionId, phoneNumber: '+254722000222', serviceCode: '*384#', text } })).body;
    await at(v1, 'a', '');
    expect(await at(v1, 'a', '2')).toBe('CON Enter amount');
    expect(await at(v2, 'b', '')).toBe('CON Home 0\n1. Shop\n2. Pay');
  });
});

describe('the stored envelope', () => {
  it('keeps earlier screens as differences and leaves out what is at its default', async () => {
    const { store, at } = setup();
    for (const text of ['', '1', '1*1', '1*1*1']) await at('s', text);
    expect(JSON.parse((await store.get('ussd:migrate:africastalking:s')) ?? '')).toEqual({
      v: 3,
      menu: 'migrate@1',
      transcript: '1*1*1',
      lastReply: 'CON Shop 1\n1. Fruit',
      snapshot: ['shop', { '/data/picked': 'figs', '/data/n': 1 }],
      history: [['home', { '/data/n': 0 }], ['shop', { '/data/picked': null }], ['fruit']],
      // Keyed by the number of inputs of each hop's path.
      earlier: [
        [0, 'CON Home 0\n1. Shop\n2. Pay'],
        [1, 'CON Shop 1\n1. Fruit'],
        [2, 'CON Picked figs\n1. Again'],
      ],
      updatedAt: 1_800_000_001_000,
    });
  });

  it('brings an earlier screen back as it was after a re-prompt changed the current one', async () => {
    const { at } = setup();
    await at('r', '');
    expect(await at('r', '2')).toBe('CON Enter amount');
    // The invalid amount puts an error in the context of the prompt, not in that of the home screen.
    expect(await at('r', '2*abc')).toMatch(/^CON .*\nEnter amount$/);
    expect(await at('r', '2*abc*0')).toBe('CON Home 0\n1. Shop\n2. Pay');
    expect(await at('r', '2*abc*0*1')).toBe('CON Shop 1\n1. Fruit');
  });
});
