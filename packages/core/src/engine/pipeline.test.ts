import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { arkeselUssd } from '../gateways/arkesel.js';
import { hubtelUssd } from '../gateways/hubtel.js';
import { createMenu } from '../menu/dsl.js';
import type { Logger } from '../ports/logger.js';
import { memorySessionStore } from '../stores/memory.js';
import { silentLogger } from '../util/logger.js';
import { createUssdApp } from './app.js';

const m = createMenu<{ n: number; amount?: number; note?: string }>();
const menu = m.define({
  id: 'loop',
  version: 1,
  initialContext: () => ({ n: 0 }),
  start: 'home',
  screens: {
    home: m.menu({
      text: (c) => `Home ${c.n}`,
      options: [
        { label: 'Again', next: 'home', set: (c) => ({ n: c.n + 1 }) },
        { label: 'Pay', next: 'amount' },
        { label: 'Fail', next: 'fail' },
        { label: 'Long', next: 'long' },
      ],
    }),
    amount: m.prompt({
      text: 'Amount?',
      schema: z.coerce.number().int().positive(),
      save: (_c, amount) => ({ amount }),
      next: 'done',
      resumable: true,
    }),
    fail: m.step({
      run: async () => {
        throw new Error('broken');
      },
      targets: ['home'],
    }),
    long: m.prompt({
      text: (c) => `${'Note '.repeat(50)}${c.n}`,
      schema: z.string(),
      save: (_c, note) => ({ note }),
      next: 'done',
    }),
    done: m.end({ text: (c) => `Paid ${c.amount}` }),
  },
});

const phone = '+254711000333';
function atApp(options: Partial<Parameters<typeof createUssdApp>[0]> = {}) {
  const app = createUssdApp({ menu, logger: silentLogger, ...options });
  const hop = async (text: string, sessionId = 's1') =>
    (await app.handleHttp({ body: { sessionId, phoneNumber: phone, serviceCode: '*384#', text } })).body;
  return { app, hop };
}

const home = (n: number) => `CON Home ${n}\n1. Again\n2. Pay\n3. Fail\n4. Long`;

describe('replies of earlier hops', () => {
  it('keep the last three, by number of inputs on a path gateway', async () => {
    const { app, hop } = atApp();
    await hop('');
    expect((await app.inspect('s1'))?.envelope.earlier).toBeUndefined();
    await hop('1');
    expect((await app.inspect('s1'))?.envelope.earlier).toEqual([[0, home(0)]]);
    await hop('1*1');
    await hop('1*1*1');
    expect((await app.inspect('s1'))?.envelope.earlier).toEqual([
      [0, home(0)],
      [1, home(1)],
      [2, home(2)],
    ]);
    await hop('1*1*1*1');
    expect((await app.inspect('s1'))?.envelope.earlier).toEqual([
      [1, home(1)],
      [2, home(2)],
      [3, home(3)],
    ]);
    // A late re-send of hop 2 gets what it got then; one too old for the record gets the current screen.
    expect(await hop('1*1')).toBe(home(2));
    expect(await hop('1')).toBe(home(1));
    expect(await hop('')).toBe(home(4));
  });

  it('are keyed by the gateway hop number where there is one', async () => {
    const store = memorySessionStore({ sweepIntervalMs: 0 });
    const app = createUssdApp({ menu, store, codec: hubtelUssd, logger: silentLogger });
    const send = (type: string, message: string, sequence: number) =>
      app.handleHttp({
        body: {
          Type: type,
          Message: message,
          ServiceCode: '384',
          Operator: 'mtn',
          ClientState: '',
          Mobile: '233200000001',
          SessionId: 'h1',
          Sequence: sequence,
          Platform: 'USSD',
        },
      });
    await send('Initiation', '*384#', 1);
    await send('Response', '1', 2);
    await send('Response', '1', 3);
    const saved = (await app.inspect('h1', 'hubtel'))?.envelope;
    expect(saved?.hop).toBe(3);
    expect(saved?.earlier?.map(([h]) => h)).toEqual([1, 2]);
    expect(saved?.input).toBeUndefined();
  });

  it('are not kept where hops are unnumbered: the last input is, for retries', async () => {
    const app = createUssdApp({ menu, codec: arkeselUssd, logger: silentLogger, now: () => 1_000 });
    const send = (userData: string, newSession: boolean) =>
      app.handleHttp({
        body: { sessionID: 'a1', userID: 'u', newSession, msisdn: '233200000002', userData, network: 'MTN' },
      });
    await send('*384#', true);
    await send('1', false);
    const saved = (await app.inspect('a1', 'arkesel'))?.envelope;
    expect(saved?.input).toBe('1');
    expect(saved?.earlier).toBeUndefined();
    expect(saved?.hop).toBeUndefined();
  });
});

describe('a failed turn', () => {
  it('is recorded as ended with its apology, so a retry gets the same answer without running again', async () => {
    const { app, hop } = atApp();
    await hop('');
    expect(await hop('3')).toBe('END Sorry, something went wrong. Please dial again.');
    const saved = (await app.inspect('s1'))?.envelope;
    expect(saved).toMatchObject({
      transcript: '3',
      lastReply: 'END Sorry, something went wrong. Please dial again.',
      ended: true,
      history: [],
      page: 0,
    });
    expect(await hop('3')).toBe('END Sorry, something went wrong. Please dial again.');
  });
});

describe('the resume offer', () => {
  it('asks again with the invalid-choice line after a wrong answer, then resumes or starts over', async () => {
    const store = memorySessionStore({ sweepIntervalMs: 0 });
    const { hop } = atApp({ store });
    await hop('', 'first');
    await hop('2', 'first');
    expect(await hop('', 'second')).toBe('CON Continue where you left off?\n1. Continue\n2. Start over');
    expect(await hop('9', 'second')).toBe(
      'CON Invalid choice.\nContinue where you left off?\n1. Continue\n2. Start over',
    );
    // `0` on the offer is an answer like any other, not navigation.
    expect(await hop('9*0', 'second')).toBe(
      'CON Invalid choice.\nContinue where you left off?\n1. Continue\n2. Start over',
    );
    expect(await hop('9*0*2', 'second')).toBe(home(0));
    // The dropped session's resume point was taken: a third dial starts at home.
    expect(await hop('', 'third')).toBe(home(0));
  });

  it('resumes on the dropped screen, and the resumed session clears its point as it moves on', async () => {
    const store = memorySessionStore({ sweepIntervalMs: 0 });
    const { hop } = atApp({ store });
    await hop('', 'first');
    await hop('2', 'first');
    await hop('', 'second');
    expect(await hop('1', 'second')).toBe('CON Amount?');
    expect(await store.get(`resume:loop:${phone}`)).not.toBeNull();
    expect(await hop('1*0', 'second')).toBe(home(0));
    expect(await store.get(`resume:loop:${phone}`)).toBeNull();
  });

  it('is not made when resume is off', async () => {
    const { hop } = atApp({ resume: false });
    await hop('', 'first');
    await hop('2', 'first');
    expect(await hop('', 'second')).toBe(home(0));
  });
});

describe('screens cut to fit', () => {
  it('are logged for the operator', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_o, msg) => warnings.push(msg ?? '') };
    const { hop } = atApp({ logger });
    await hop('');
    const long = await hop('4');
    expect(long.startsWith('CON Note Note')).toBe(true);
    expect(long.endsWith('..')).toBe(true);
    expect(warnings).toEqual(['screen cut to fit the budget']);
  });
});

describe('back and home', () => {
  it('stay on the first screen when there is nothing behind it', async () => {
    const { hop } = atApp();
    await hop('');
    expect(await hop('0')).toBe(home(0));
    expect(await hop('0*00')).toBe(home(0));
  });

  it('go back one screen, then home forgets the way back', async () => {
    const { hop } = atApp();
    await hop('');
    // Choosing `Again` stays on home: no step to undo.
    expect(await hop('1')).toBe(home(1));
    expect(await hop('1*2')).toBe('CON Amount?');
    expect(await hop('1*2*x')).toBe('CON Invalid choice.\nAmount?');
    expect(await hop('1*2*x*0')).toBe(home(1));
    expect(await hop('1*2*x*0*2')).toBe('CON Amount?');
    expect(await hop('1*2*x*0*2*00')).toBe(home(1));
    expect(await hop('1*2*x*0*2*00*0')).toBe(home(1));
  });
});
