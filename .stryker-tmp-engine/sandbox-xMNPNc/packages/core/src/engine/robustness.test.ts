// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { assign, createMachine, fromPromise } from 'xstate';
import { z } from 'zod';
import { isUssdError } from '../errors.js';
import { createMenu } from '../menu/dsl.js';
import type { Logger } from '../ports/logger.js';
import { memorySessionStore } from '../stores/memory.js';
import { ussdTester } from '../testing/tester.js';
import { createUssdApp, type TurnEvent } from './app.js';

function captureLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg?: string | undefined }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => lines.push({ level, obj, msg });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

type Services = { work: (signal: AbortSignal) => Promise<string> };
const m = createMenu<{ v?: string }, Services>();
const slowMenu = (version = 1) =>
  m.define({
    id: 'slow',
    version,
    initialContext: () => ({}),
    start: 'home',
    screens: {
      home: m.menu({
        text: 'Home',
        options: [
          { label: 'Go', next: 'work' },
          { label: 'Stay', next: 'second' },
        ],
      }),
      second: m.menu({ text: 'Second', options: [{ label: 'Go', next: 'work' }] }),
      work: m.step({
        run: async (_c, { services, signal }) => ({ next: 'done', set: { v: await services.work(signal) } }),
      }),
      done: m.end({ text: (c) => `Result ${c.v}` }),
    },
  });

describe('turn deadline', () => {
  it('answers END with the apology, aborts the step and leaves no half-written session', async () => {
    let aborted = false;
    const store = memorySessionStore();
    const { logger, lines } = captureLogger();
    const app = createUssdApp({
      menu: slowMenu(),
      store,
      logger,
      turnTimeoutMs: 100,
      services: {
        work: (signal) =>
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            }),
          ),
      },
    });
    const s = ussdTester(app).session();
    await s.dial();
    const r = await s.input('1');
    expect(r.body).toBe('END Sorry, this is taking too long. Please dial again shortly.');
    await new Promise((r) => setTimeout(r, 50));
    expect(aborted).toBe(true);
    const saved = await app.inspect(s.sessionId);
    expect(saved?.envelope.ended).toBe(true);
    expect(saved?.envelope.lastReply).toBe(r.body);
    expect((await s.retry()).body).toBe(r.body);
    expect(lines.some((l) => l.msg === 'turn timed out')).toBe(true);
  });
});

describe('menu bugs', () => {
  it('gives the customer a polite END and the operator one line with the phone masked', async () => {
    const { logger, lines } = captureLogger();
    const app = createUssdApp({
      menu: slowMenu(),
      logger,
      services: {
        work: async () => {
          throw new TypeError('cannot read properties of undefined');
        },
      },
    });
    const s = ussdTester(app).session({ phoneNumber: '+254711000111' });
    await s.dial();
    const r = await s.input('1');
    expect(r.body).toBe('END Sorry, something went wrong. Please dial again.');
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    const line = JSON.stringify(errors[0]);
    expect(line).toContain('+254711***111');
    expect(line).not.toContain('+254711000111');
    expect(line).toContain('cannot read properties of undefined');
  });

  it('routes a failing step to its onError screen when it has one', async () => {
    const mm = createMenu<object, unknown>();
    const app = createUssdApp({
      logger: captureLogger().logger,
      menu: mm.define({
        id: 'onerror',
        version: 1,
        initialContext: () => ({}),
        start: 'load',
        screens: {
          load: mm.step({
            run: () => {
              throw new Error('db down');
            },
            onError: 'sorry',
          }),
          sorry: mm.end({ text: 'Service unavailable' }),
        },
      }),
    });
    const s = ussdTester(app).session();
    expect((await s.dial()).body).toBe('END Service unavailable');
  });
});

describe('saved sessions', () => {
  it('restarts politely at home when the saved envelope is corrupt', async () => {
    const store = memorySessionStore();
    const app = createUssdApp({
      menu: slowMenu(),
      store,
      logger: captureLogger().logger,
      services: { work: async () => 'x' },
    });
    const s = ussdTester(app).session();
    await s.dial();
    await store.set(`ussd:slow:africastalking:${s.sessionId}`, '{"v":1,"broken', 60);
    const r = await s.input('2');
    expect(r.body).toBe('CON Your session was restarted.\nHome\n1. Go\n2. Stay');
    // The next hop continues from the restarted screen.
    expect((await s.input('2')).body).toBe('CON Second\n1. Go');
  });

  it('restarts politely when the session was saved by another menu version', async () => {
    const store = memorySessionStore();
    const services = { work: async () => 'x' };
    const v1 = createUssdApp({ menu: slowMenu(1), store, services, logger: captureLogger().logger });
    const v2 = createUssdApp({ menu: slowMenu(2), store, services, logger: captureLogger().logger });
    const s1 = ussdTester(v1).session({ sessionId: 'ATUid_same' });
    await s1.dial();
    await s1.input('2');
    const s2 = ussdTester(v2).session({ sessionId: 'ATUid_same' });
    const r = await s2.dial('2*1');
    expect(r.body).toMatch(/^CON Your session was restarted\.\nHome/);
  });

  it('serializes two requests of one session and runs other sessions in parallel', async () => {
    let running = 0;
    let maxRunning = 0;
    const app = createUssdApp({
      menu: slowMenu(),
      logger: captureLogger().logger,
      services: {
        work: async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, 30));
          running--;
          return 'ok';
        },
      },
    });
    const t = ussdTester(app);
    const a = t.session();
    await a.dial();
    // Two different hops of one session at once: the second must see the first's result.
    const [r1, r2] = await Promise.all([
      a.input('1'),
      app.handle({
        kind: 'path',
        provider: 'africastalking',
        sessionId: a.sessionId,
        phoneNumber: '+254711000111',
        serviceCode: '*1#',
        path: '1',
      }),
    ]);
    expect(r1.body).toBe('END Result ok');
    expect(r2.body).toBe('END Result ok');
    expect(maxRunning).toBe(1);
    maxRunning = 0;
    const others = Array.from({ length: 10 }, () => t.session());
    await Promise.all(others.map((o) => o.dial()));
    await Promise.all(others.map((o) => o.input('1')));
    expect(maxRunning).toBeGreaterThan(1);
  });
});

describe('hand-written machines', () => {
  it('serves any machine that follows the screen contract', async () => {
    const machine = createMachine({
      id: 'raw',
      context: { name: '' },
      initial: 'ask',
      states: {
        ask: {
          meta: { ussd: { render: () => ({ text: 'Your name?' }) } },
          on: {
            INPUT: {
              target: 'greet',
              actions: assign({ name: ({ event }) => (event as unknown as { value: string }).value }),
            },
          },
        },
        greet: {
          invoke: {
            src: fromPromise(async ({ input }: { input: { name: string } }) => input.name.toUpperCase()),
            input: ({ context }) => ({ name: context.name }),
            onDone: { target: 'bye', actions: assign({ name: ({ event }) => event.output }) },
          },
        },
        bye: { type: 'final', meta: { ussd: { render: (c: { name: string }) => ({ text: `Hello ${c.name}` }) } } },
      },
    });
    const app = createUssdApp({ menu: { machine, id: 'raw', version: 1 }, logger: captureLogger().logger });
    const s = ussdTester(app).session();
    expect((await s.dial()).body).toBe('CON Your name?');
    expect((await s.input('wanjiku')).body).toBe('END Hello WANJIKU');
  });
});

describe('menu definition errors', () => {
  const mm = createMenu<object, unknown>();
  const build = (screens: Parameters<typeof mm.define>[0]['screens'], start = 'home') =>
    createUssdApp({ menu: mm.define({ id: 'bad', version: 1, initialContext: () => ({}), start, screens }) });

  it('rejects a key that collides with navigation', () => {
    expect(() => build({ home: mm.menu({ text: 'x', options: [{ key: '0', label: 'Zero', next: 'home' }] }) })).toThrow(
      /key "0" collides with a navigation key/,
    );
    expect(() =>
      build({ home: mm.menu({ text: 'x', nav: false, options: [{ key: '0', label: 'Zero', next: 'home' }] }) }),
    ).not.toThrow();
  });

  it('rejects unknown targets and a missing start', () => {
    let err: unknown;
    try {
      build({ home: mm.menu({ text: 'x', options: [{ label: 'a', next: 'nowhere' }] }) }, 'missing');
    } catch (e) {
      err = e;
    }
    expect(isUssdError(err, 'MENU_DEFINITION')).toBe(true);
    expect(String((err as Error).message)).toMatch(/start screen "missing"/);
    expect(String((err as Error).message)).toMatch(/unknown screen "nowhere"/);
  });

  it('rejects a static screen that can never fit', () => {
    expect(() => build({ home: mm.end({ text: 'x'.repeat(200) }) })).toThrow(/can never fit/);
    expect(() =>
      build({ home: mm.prompt({ text: 'é'.repeat(60) + '€', schema: z.string(), next: 'home' }) }),
    ).not.toThrow();
    expect(() => build({ home: mm.prompt({ text: 'ç'.repeat(80), schema: z.string(), next: 'home' }) })).toThrow(
      /UCS-2/,
    );
  });
});

describe('onTurn', () => {
  it('reports each turn with its outcome, duration and a masked phone', async () => {
    const events: TurnEvent[] = [];
    let fail = false;
    const app = createUssdApp({
      menu: slowMenu(),
      logger: captureLogger().logger,
      turnTimeoutMs: 200,
      onTurn: (e) => events.push(e),
      services: {
        work: async (signal) => {
          if (fail) throw new Error('broken');
          await new Promise((r, j) => {
            const t = setTimeout(r, 10);
            signal.addEventListener('abort', () => {
              clearTimeout(t);
              j(new Error('aborted'));
            });
          });
          return 'fine';
        },
      },
    });
    const t = ussdTester(app);
    const a = t.session({ phoneNumber: '+254711000111' });
    await a.dial();
    await a.input('1');
    await a.retry();
    fail = true;
    const b = t.session();
    await b.dial();
    await b.input('1');
    expect(events.map((e) => [e.type, e.outcome])).toEqual([
      ['CON', 'ok'],
      ['END', 'ok'],
      ['END', 'replay'],
      ['CON', 'ok'],
      ['END', 'error'],
    ]);
    expect(events[0]).toMatchObject({ provider: 'africastalking', sessionId: a.sessionId, phone: '+254711***111' });
    expect(events.every((e) => e.ms >= 0 && e.ms < 1000)).toBe(true);
  });
});
