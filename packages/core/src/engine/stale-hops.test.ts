import { describe, expect, it } from 'vitest';
import { createMenu } from '../menu/dsl.js';
import { memorySessionStore } from '../stores/memory.js';
import { createUssdApp, type TurnEvent } from './app.js';

type Ctx = { lang: string };
type Services = { charge: () => number };
const m = createMenu<Ctx, Services>();

/** A menu whose confirm step has a side effect we can count. */
const payMenu = m.define({
  id: 'pay',
  version: 1,
  languages: ['en', 'sw'],
  initialContext: () => ({ lang: 'en' }),
  start: 'home',
  screens: {
    home: m.menu({
      text: { en: 'Home', sw: 'Nyumbani' },
      options: [
        { label: 'Pay', next: 'confirm' },
        { label: 'Other', next: 'other' },
        { label: 'Kiswahili', next: 'home', set: () => ({ lang: 'sw' }) },
        { label: 'Four', next: 'other' },
        { label: 'Five', next: 'other' },
      ],
    }),
    other: m.menu({ text: 'Other', options: [{ label: 'Pay', next: 'confirm' }] }),
    confirm: m.menu({ text: 'Pay KES 733?', options: [{ label: 'Confirm', next: 'charge' }] }),
    charge: m.step({ run: (_c, { services }) => ({ next: 'charged', set: { lang: String(services.charge()) } }) }),
    charged: m.end({ text: (c) => `Charged, push ${c.lang}` }),
  },
});

function setup(options: { maxDeepDialInputs?: number; maxPathChars?: number } = {}) {
  let charges = 0;
  let starts = 0;
  const events: TurnEvent[] = [];
  const store = memorySessionStore();
  const app = createUssdApp({
    menu: {
      ...payMenu,
      initialContext: () => {
        starts++;
        return { lang: 'en' };
      },
    },
    services: { charge: () => ++charges },
    store,
    onTurn: (e) => events.push(e),
    limits: options,
  });
  // Building the app reads the initial context once or twice to learn its defaults; count sessions after that.
  const built = starts;
  const at = (sessionId: string, text: string) =>
    app.handleHttp({ body: { sessionId, phoneNumber: '+254722000222', serviceCode: '*384#', text } });
  return { app, store, events, at, charges: () => charges, starts: () => starts - built };
}

describe("a late re-send of an earlier Africa's Talking path", () => {
  it('runs no step, changes nothing, and gets the reply that hop got the first time', async () => {
    const t = setup();
    const replies: Record<string, string> = {};
    for (const text of ['', '1', '1*0', '1*0*2', '1*0*2*1']) replies[text] = (await t.at('s1', text)).body;
    expect(replies['1*0*2*1']).toContain('Pay KES 733?');
    const before = await t.app.inspect('s1');

    const late = await t.at('s1', '1');
    expect(late.body).toBe(replies['1']);
    expect(t.charges()).toBe(0);
    expect(await t.app.inspect('s1')).toStrictEqual(before);
    expect(t.events.at(-1)?.outcome).toBe('stale');

    // The session goes on from where it really was: one confirm, one charge.
    expect((await t.at('s1', '1*0*2*1*1')).body).toBe('END Charged, push 1');
    expect(t.charges()).toBe(1);
  });

  it('answers a path that never got a reply with the current screen', async () => {
    const t = setup();
    await t.at('s2', '');
    const confirm = (await t.at('s2', '1')).body;
    const before = await t.app.inspect('s2');
    expect((await t.at('s2', '2*1')).body).toBe(confirm);
    expect((await t.at('s2', '2*1*1')).body).toBe(confirm);
    expect(t.charges()).toBe(0);
    expect((await t.app.inspect('s2'))?.envelope.transcript).toBe(before?.envelope.transcript);
  });
});

describe('several different hops of one session at once', () => {
  it('applies only the one that extends the state; the others are answered as stale', async () => {
    const t = setup();
    await t.at('s3', '');
    const answers = await Promise.all(['1', '2', '3', '4', '5'].map((text) => t.at('s3', text)));
    const saved = await t.app.inspect('s3');
    expect(saved?.envelope.transcript).toBe('1');
    // Nobody switched the language: option 3 never ran.
    expect(answers.every((a) => a.body === answers[0]?.body)).toBe(true);
    expect(answers[0]?.body).toContain('Pay KES 733?');
    expect(t.events.slice(-5).map((e) => e.outcome)).toStrictEqual(['ok', 'stale', 'stale', 'stale', 'stale']);
  });

  it('on Hubtel, a hop number at or below the last applied is stale', async () => {
    let charges = 0;
    const { hubtelUssd } = await import('../gateways/hubtel.js');
    const app = createUssdApp({
      menu: payMenu,
      services: { charge: () => ++charges },
      codec: hubtelUssd,
    });
    const hop = (Sequence: number, Message: string, Type = 'Response') =>
      app
        .handleHttp({
          body: { SessionId: 'h1', Mobile: '233244000111', ServiceCode: '*714#', Type, Message, Sequence },
        })
        .then((a) => JSON.parse(a.body).Message as string);
    const home = await hop(1, '*714#', 'Initiation');
    const confirm = await hop(2, '1');
    // Five different hop-3 requests at once, then a late re-send of hop 2 with other text.
    const third = await Promise.all(['0', '1', '1', '3', '9'].map((m) => hop(3, m)));
    expect(third.every((r) => r === third[0])).toBe(true);
    expect(third[0]).toBe(home);
    expect(await hop(2, '3')).toBe(confirm);
    expect(charges).toBe(0);
    expect((await app.inspect('h1', 'hubtel'))?.envelope.transcript).toBe('1*0');
  });
});

describe('hostile deep dials', () => {
  it('ends a new session of 999 stars at once, without starting the menu or storing anything', async () => {
    const t = setup();
    const r = await t.at('s4', '*'.repeat(999));
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^END /);
    expect(t.starts()).toBe(0);
    expect(await t.app.inspect('s4')).toBeUndefined();
    expect(await t.store.get('ussd:pay:africastalking:s4')).toBeNull();
    expect(t.events.at(-1)?.outcome).toBe('capped');
  });

  it('caps deep-dial inputs and path length as configured', async () => {
    const t = setup({ maxDeepDialInputs: 2, maxPathChars: 20 });
    expect((await t.at('s5', '1*1')).body).toBe('END Charged, push 1');
    expect((await t.at('s6', '1*1*1')).body).toMatch(/^END /);
    expect(t.charges()).toBe(1);
    const long = await t.app.handle({
      kind: 'path',
      provider: 'africastalking',
      sessionId: 's7',
      phoneNumber: '+254722000222',
      serviceCode: '*384#',
      path: '1'.repeat(1200),
    });
    expect(long.type).toBe('END');
    expect(t.starts()).toBe(1);
  });
});

describe('the session of a turn', () => {
  it('is handed to the machine each turn and not saved with it', async () => {
    const t = setup();
    for (const text of ['', '1', '1*0', '1*0*1']) await t.at('s8', text);
    const raw = (await t.store.get('ussd:pay:africastalking:s8')) ?? '';
    expect(raw).toContain('Pay KES 733?');
    expect(raw).not.toContain('254722000222');
    expect((await t.at('s8', '1*0*1*1')).body).toBe('END Charged, push 1');
  });
});
