import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isUssdError } from '../errors.js';
import { createMenu } from '../menu/dsl.js';
import type { Logger } from '../ports/logger.js';
import type { SessionStore } from '../ports/session-store.js';
import { memorySessionStore } from '../stores/memory.js';
import { ussdTester } from '../testing/tester.js';
import { silentLogger } from '../util/logger.js';
import { createUssdApp, type TurnEvent, type UssdAppOptions } from './app.js';
import type { TurnReport } from './observer.js';
import { checkStaticBudgets, tightestLimit } from './static-budget.js';

interface Ctx {
  lang: string;
  amount?: number;
  note?: string;
}
type Services = { charge: (n: number) => Promise<string> };
const m = createMenu<Ctx, Services>();
const menu = m.define({
  id: 'demo',
  version: 1,
  languages: ['en', 'sw'],
  initialContext: () => ({ lang: 'en' }),
  start: 'home',
  screens: {
    home: m.menu({
      text: { en: 'Welcome', sw: 'Karibu' },
      options: [
        { label: { en: 'Pay', sw: 'Lipa' }, next: 'amount' },
        { label: { en: 'Note', sw: 'Ujumbe' }, next: 'note' },
        { label: { en: 'Kiswahili', sw: 'Kiswahili' }, next: 'home', set: () => ({ lang: 'sw' }) },
      ],
    }),
    amount: m.prompt({
      text: 'Enter amount',
      schema: z.coerce.number().int().positive().max(1000),
      invalid: 'Amount must be 1 to 1000.',
      save: (_c, amount) => ({ amount }),
      next: 'charge',
      resumable: true,
      examples: ['100'],
    }),
    charge: m.step({
      run: async (ctx, { services }) => ({ next: 'done', set: { note: await services.charge(ctx.amount ?? 0) } }),
      targets: ['done'],
    }),
    note: m.prompt({ text: 'Type a note', schema: z.string().min(1), save: (_c, note) => ({ note }), next: 'done' }),
    done: m.end({ text: (c) => `Done: ${c.note}` }),
  },
});

/** A one-prompt menu without services, for the app's options, HTTP handling and reports. */
const payMenu = m.define({
  id: 'edges',
  version: 4,
  initialContext: () => ({ lang: 'en' }),
  start: 'home',
  screens: {
    home: m.menu({ text: 'Home', options: [{ label: 'Pay', next: 'amount' }] }),
    amount: m.prompt({
      text: 'Amount?',
      schema: z.coerce.number().int().positive(),
      save: (_c, amount) => ({ amount }),
      next: 'done',
      resumable: true,
    }),
    done: m.end({ text: (c) => `Paid ${c.amount}` }),
  },
});

function app(overrides: Partial<Omit<UssdAppOptions<Services>, 'menu' | 'services'>> = {}) {
  let calls = 0;
  const a = createUssdApp({
    menu,
    services: {
      charge: async (n: number) => {
        calls++;
        return `charged ${n}`;
      },
    },
    logger: silentLogger,
    ...overrides,
  });
  return { app: a, calls: () => calls };
}

describe('engine', () => {
  it('walks a menu, prompt and async step', async () => {
    const { app: a, calls } = app();
    const s = ussdTester(a).session();
    await s.dial();
    s.expectScreen('Welcome\n1. Pay\n2. Note\n3. Kiswahili');
    await s.input('1');
    s.expectScreen('Enter amount');
    await s.input('abc');
    s.expectScreen('Amount must be 1 to 1000.\nEnter amount');
    await s.input('250');
    s.expectEnd('Done: charged 250');
    expect(calls()).toBe(1);
    await s.retry();
    s.expectEnd('Done: charged 250');
    expect(calls()).toBe(1);
  });

  it('keeps * inside free text', async () => {
    const s = ussdTester(app().app).session();
    await s.dial();
    await s.input('2');
    await s.input('gate*3 is leaking');
    s.expectEnd('Done: gate*3 is leaking');
  });

  it('applies a deep dial input by input', async () => {
    const s = ussdTester(app().app).session();
    await s.dial('1*40');
    s.expectEnd('Done: charged 40');
  });

  it('navigates back and home', async () => {
    const s = ussdTester(app().app).session();
    await s.dial();
    await s.input('1');
    s.expectScreen('Enter amount');
    await s.input('0');
    s.expectScreen('Welcome');
    await s.input('3');
    s.expectScreen('Karibu\n1. Lipa');
    await s.input('1');
    await s.input('00');
    s.expectScreen('Karibu');
  });

  it('offers to resume a dropped session', async () => {
    const store = memorySessionStore();
    const { app: a } = app({ store });
    const t = ussdTester(a);
    const first = t.session();
    await first.dial();
    await first.input('1');
    const second = t.session();
    await second.dial();
    second.expectScreen('Continue where you left off?\n1. Continue\n2. Start over');
    await second.input('1');
    second.expectScreen('Enter amount');
    await second.input('70');
    second.expectEnd('Done: charged 70');
    const third = t.session();
    await third.dial();
    third.expectScreen('Welcome');
  });

  it('ends politely after too many invalid answers', async () => {
    const s = ussdTester(app().app).session();
    await s.dial();
    await s.input('1');
    await s.input('x');
    await s.input('y');
    await s.input('z');
    s.expectEnd('Too many invalid attempts');
  });
});

/** A memory store that writes down the lifetime of every write and lock, and how often it was disposed. */
function recordingStore() {
  const inner = memorySessionStore({ sweepIntervalMs: 0 });
  const log: string[] = [];
  let disposed = 0;
  const store: SessionStore = {
    ...inner,
    async set(key, value, ttl) {
      log.push(`set ${key.split(':')[0]} ${ttl}`);
      return inner.set(key, value, ttl);
    },
    async setIfAbsent(key, value, ttlMs) {
      log.push(`lock ${ttlMs}`);
      return inner.setIfAbsent(key, value, ttlMs);
    },
    async dispose() {
      disposed++;
    },
  };
  return { store, log, inner, disposed: () => disposed };
}

const body = (text: string, sessionId = 's1', phoneNumber = '+254711000222') => ({
  sessionId,
  phoneNumber,
  serviceCode: '*384#',
  text,
});

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (_o, msg) => lines.push(`warn ${msg}`),
    error: (_o, msg) => lines.push(`error ${msg}`),
  };
  return { logger, lines };
}

describe('app options', () => {
  it('refuse a retry window that is not a number of ms, 0 or more', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let err: unknown;
      try {
        createUssdApp({ menu: payMenu, logger: silentLogger, retryWindowMs: bad });
      } catch (e) {
        err = e;
      }
      expect(isUssdError(err, 'CONFIG')).toBe(true);
      expect((err as Error).message).toBe(`retryWindowMs must be a number of ms, 0 or more (got ${bad})`);
    }
    expect(() => createUssdApp({ menu: payMenu, logger: silentLogger, retryWindowMs: 0 })).not.toThrow();
  });

  it('keep sessions 300 s, resume points 300 s and a lock for the turn plus 2 s by default', async () => {
    const { store, log } = recordingStore();
    const app = createUssdApp({ menu: payMenu, store, logger: silentLogger });
    await app.handleHttp({ body: body('') });
    await app.handleHttp({ body: body('1') });
    expect(log).toEqual(['lock 10000', 'set ussd 300', 'lock 10000', 'set ussd 300', 'set resume 300']);
  });

  it('follow configured lifetimes and turn timeout', async () => {
    const { store, log } = recordingStore();
    const app = createUssdApp({
      menu: payMenu,
      store,
      logger: silentLogger,
      sessionTtlSeconds: 60,
      resume: { ttlSeconds: 90 },
      turnTimeoutMs: 3000,
    });
    await app.handleHttp({ body: body('') });
    await app.handleHttp({ body: body('1') });
    expect(log).toEqual(['lock 5000', 'set ussd 60', 'lock 5000', 'set ussd 60', 'set resume 90']);
  });

  it('save no resume point when resume is off, or its lifetime is 0', async () => {
    for (const resume of [false, { ttlSeconds: 0 }] as const) {
      const { store, log } = recordingStore();
      const app = createUssdApp({ menu: payMenu, store, logger: silentLogger, resume });
      await app.handleHttp({ body: body('') });
      await app.handleHttp({ body: body('1') });
      expect(log.filter((l) => l.startsWith('set resume'))).toEqual([]);
    }
  });

  it('serve a hand-written machine under its id and version', async () => {
    const app = createUssdApp({
      menu: {
        id: 'raw',
        version: 7,
        machine: createUssdApp({ menu: payMenu, logger: silentLogger }).menu!.machine,
      },
      logger: silentLogger,
    });
    expect([app.machineId, app.machineVersion, app.menu]).toEqual(['raw', '7', undefined]);
  });
});

describe('app identity and inspection', () => {
  it('names its menu and store, and shows a saved session', async () => {
    const store = memorySessionStore({ sweepIntervalMs: 0 });
    const app = createUssdApp({ menu: payMenu, store, logger: silentLogger });
    expect([app.machineId, app.machineVersion, app.store]).toEqual(['edges', '4', store]);
    expect(app.menu?.id).toBe('edges');
    expect(await app.inspect('s1')).toBeUndefined();
    await app.handleHttp({ body: body('') });
    await app.handleHttp({ body: body('1') });
    const seen = await app.inspect('s1');
    expect(seen?.value).toBe('amount');
    expect(seen?.envelope.transcript).toBe('1');
    expect(await app.inspect('s1', 'hubtel')).toBeUndefined();
    expect((await app.inspect('s1', 'africastalking'))?.value).toBe('amount');
  });

  it('releases its store once however often it is disposed', async () => {
    const { store, disposed } = recordingStore();
    const app = createUssdApp({ menu: payMenu, store, logger: silentLogger });
    const first = app.dispose();
    expect(app.dispose()).toBe(first);
    await first;
    expect(disposed()).toBe(1);
  });

  it('logs through the host logger only when it was given none', async () => {
    const host = recordingLogger();
    const own = recordingLogger();
    const a = createUssdApp({ menu: payMenu, allowedIps: ['10.0.0.1'] });
    a.useHostLogger(host.logger);
    await a.handleHttp({ body: body(''), remoteAddress: '10.0.0.2' });
    expect(host.lines).toEqual(['warn USSD callback from an address not on the allow-list']);
    const b = createUssdApp({ menu: payMenu, logger: own.logger, allowedIps: ['10.0.0.1'] });
    b.useHostLogger(host.logger);
    await b.handleHttp({ body: body(''), remoteAddress: '10.0.0.2' });
    expect(own.lines).toEqual(['warn USSD callback from an address not on the allow-list']);
    expect(host.lines).toHaveLength(1);
  });
});

describe('HTTP callbacks', () => {
  it('answer only allowed addresses, IPv4 ones also when written as IPv6', async () => {
    const app = createUssdApp({ menu: payMenu, logger: silentLogger, allowedIps: ['10.0.0.1', '::ffff:10.0.0.3'] });
    expect(await app.handleHttp({ body: body(''), remoteAddress: '10.0.0.9' })).toEqual({
      status: 403,
      contentType: 'text/plain; charset=utf-8',
      body: 'caller not allowed',
    });
    expect(await app.handleHttp({ body: body('') })).toMatchObject({ status: 403 });
    expect(await app.handleHttp({ body: body('', 's2'), remoteAddress: '::ffff:10.0.0.1' })).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'CON Home\n1. Pay',
    });
    expect(await app.handleHttp({ body: body('', 's3'), remoteAddress: '10.0.0.3' })).toMatchObject({ status: 200 });
  });

  it('answer anyone without an allow-list', async () => {
    const app = createUssdApp({ menu: payMenu, logger: silentLogger });
    expect(await app.handleHttp({ body: body(''), remoteAddress: '192.0.2.1' })).toMatchObject({ status: 200 });
  });

  it('refuse a request the gateway codec cannot read, with its reason', async () => {
    const app = createUssdApp({ menu: payMenu, logger: silentLogger });
    const answer = await app.handleHttp({ body: { phoneNumber: '+254711000222' } });
    expect(answer.status).toBe(400);
    expect(answer.contentType).toBe('text/plain; charset=utf-8');
    expect(answer.body).not.toBe('invalid USSD request');
    expect(answer.body.length).toBeGreaterThan(0);
    const thrown = await createUssdApp({
      menu: payMenu,
      logger: silentLogger,
      codec: {
        name: 'odd',
        contentType: 'text/plain',
        parse: () => {
          throw new Error('internal detail');
        },
        format: () => '',
      },
    }).handleHttp({ body: '' });
    expect(thrown).toEqual({ status: 400, contentType: 'text/plain; charset=utf-8', body: 'invalid USSD request' });
  });
});

describe('turn reports', () => {
  it('tell onTurn the provider, session, masked phone, reply type and outcome', async () => {
    const events: TurnEvent[] = [];
    const app = createUssdApp({ menu: payMenu, logger: silentLogger, onTurn: (e) => events.push(e) });
    await app.handleHttp({ body: body('') });
    await app.handleHttp({ body: body('') });
    expect(events.map(({ ms: _ms, ...e }) => e)).toEqual([
      { provider: 'africastalking', sessionId: 's1', phone: '+254711***222', type: 'CON', outcome: 'ok' },
      { provider: 'africastalking', sessionId: 's1', phone: '+254711***222', type: 'CON', outcome: 'replay' },
    ]);
    expect(events.every((e) => e.ms >= 0 && e.ms < 5000)).toBe(true);
  });

  it('end the lock phase with the error of a turn that never got the lock', async () => {
    const store = memorySessionStore({ sweepIntervalMs: 0 });
    const phases: string[] = [];
    const reports: TurnReport[] = [];
    const app = createUssdApp({
      menu: payMenu,
      store,
      logger: silentLogger,
      turnTimeoutMs: 50,
      observer: {
        begin: () => ({
          phase: (name) => (err) => phases.push(`${name} ${err ? (err as Error).message : 'ok'}`),
          end: (r) => reports.push(r),
        }),
      },
    });
    await store.setIfAbsent('lock:ussd:edges:africastalking:s1', 'someone else', 10_000);
    const r = await app.handleHttp({ body: body('') });
    expect(r.body).toBe('END Sorry, something went wrong. Please dial again.');
    expect(phases).toEqual(['lock another request of this session holds the lock']);
    expect(reports.map((x) => [x.outcome, x.type])).toEqual([['busy', 'END']]);
  });

  it('log a failed turn with its code and masked phone', async () => {
    const failing = m.define({
      id: 'failing',
      version: 1,
      initialContext: () => ({ lang: 'en' }),
      start: 'home',
      screens: {
        home: m.menu({ text: 'Home', options: [{ label: 'Go', next: 'boom' }] }),
        boom: m.step({
          run: async () => {
            throw new Error('kaput');
          },
          targets: ['home'],
        }),
      },
    });
    const objects: unknown[] = [];
    const logger: Logger = {
      ...silentLogger,
      error: (o, msg) => objects.push({ ...(o as object), msg }),
    };
    const app = createUssdApp({ menu: failing, logger });
    await app.handleHttp({ body: body('') });
    const r = await app.handleHttp({ body: body('1') });
    expect(r.body).toBe('END Sorry, something went wrong. Please dial again.');
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      code: 'MENU_RUNTIME',
      phone: '+254711***222',
      session: 's1',
      msg: 'USSD turn failed',
    });
    expect(JSON.stringify(objects[0])).toContain('kaput');
  });
});

describe('static screen budgets', () => {
  it('take the tightest network limit', () => {
    expect(tightestLimit({ default: 182, byNetwork: { a: 160, b: 170 } })).toBe(160);
    expect(tightestLimit({ default: 150, byNetwork: { a: 160 } })).toBe(150);
    expect(tightestLimit({ default: 182, byNetwork: {} })).toBe(182);
  });

  it('refuse a fixed screen too long for the tightest network or the gateway, naming it', () => {
    const long = m.define({
      id: 'long',
      version: 1,
      initialContext: () => ({ lang: 'en' }),
      start: 'home',
      screens: { home: m.end({ text: 'x'.repeat(100) }) },
    });
    const compiled = createUssdApp({ menu: long, logger: silentLogger, screenLimits: { byNetwork: {} } }).menu!;
    const keys = { back: '0', home: '00', more: '98' };
    expect(() => checkStaticBudgets(compiled, { default: 182, byNetwork: {} }, keys)).not.toThrow();
    expect(() => checkStaticBudgets(compiled, { default: 182, byNetwork: {} }, keys, 104)).not.toThrow();
    let err: unknown;
    try {
      checkStaticBudgets(compiled, { default: 182, byNetwork: { n: 90 } }, keys);
    } catch (e) {
      err = e;
    }
    expect(isUssdError(err, 'MENU_DEFINITION')).toBe(true);
    expect((err as Error).message).toMatch(/^menu "long" has screens that can never fit:\n- screen "home" \(en\): /);
    expect(() => checkStaticBudgets(compiled, { default: 182, byNetwork: {} }, keys, 90)).toThrow(/screen "home"/);
    const two = m.define({
      id: 'two',
      version: 1,
      initialContext: () => ({ lang: 'en' }),
      start: 'home',
      screens: {
        home: m.menu({ text: 'y'.repeat(100), options: [{ label: 'Go', next: 'bye' }] }),
        bye: m.end({ text: 'z'.repeat(100) }),
      },
    });
    const both = createUssdApp({ menu: two, logger: silentLogger }).menu!;
    expect(() => checkStaticBudgets(both, { default: 90, byNetwork: {} }, keys)).toThrow(
      /can never fit:\n- screen "home" \(en\): .*\n- screen "bye" \(en\): /,
    );
    expect(() => createUssdApp({ menu: long, logger: silentLogger, screenLimits: { default: 90 } })).toThrow(
      /can never fit/,
    );
  });
});
