import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { arkeselUssd } from '../gateways/arkesel.js';
import type { UssdCodec } from '../gateways/codec.js';
import { hubtelUssd } from '../gateways/hubtel.js';
import { naloUssd } from '../gateways/nalo.js';
import { createMenu } from '../menu/dsl.js';
import { createUssdApp } from './app.js';

const m = createMenu<{ account?: string }, unknown>();
const menu = m.define({
  id: 'balance',
  version: 1,
  initialContext: () => ({}),
  start: 'home',
  screens: {
    home: m.menu({ text: 'Home', options: [{ label: 'Balance', next: 'ask' }] }),
    ask: m.prompt({
      text: 'Account number:',
      schema: z.string().regex(/^\d+$/),
      save: (_c, account) => ({ account }),
      next: 'shown',
    }),
    shown: m.end({ text: (c) => `Account ${c.account}: GHS 12.50` }),
  },
});

/** One gateway's request bodies for one session: the dial, then the latest input of hop `n`. */
const requests: Record<string, { codec: UssdCodec; dial: () => unknown; hop: (n: number, input: string) => unknown }> =
  {
    arkesel: {
      codec: arkeselUssd,
      dial: () => ({ sessionID: 'r1', userID: 'u', msisdn: '233244000111', newSession: true, userData: '*928#' }),
      hop: (_n, userData) => ({ sessionID: 'r1', userID: 'u', msisdn: '233244000111', newSession: false, userData }),
    },
    nalo: {
      codec: naloUssd,
      dial: () => ({ USERID: 'u', MSISDN: '233244000111', USERDATA: '*920#', MSGTYPE: true, SESSIONID: 'r1' }),
      hop: (_n, USERDATA) => ({ USERID: 'u', MSISDN: '233244000111', USERDATA, MSGTYPE: false, SESSIONID: 'r1' }),
    },
    hubtel: {
      codec: hubtelUssd,
      dial: () => ({ SessionId: 'r1', Mobile: '233244000111', ServiceCode: '*714#', Type: 'Initiation', Sequence: 1 }),
      hop: (n, Message) => ({
        SessionId: 'r1',
        Mobile: '233244000111',
        ServiceCode: '*714#',
        Type: 'Response',
        Message,
        Sequence: n,
      }),
    },
  };

function setup(gateway: string, retryWindowMs?: number) {
  const g = requests[gateway]!;
  let clock = 1_000_000;
  const app = createUssdApp({ menu, codec: g.codec, now: () => clock, retryWindowMs });
  return {
    app,
    tick: (ms: number) => {
      clock += ms;
    },
    dial: () => app.handleHttp({ body: g.dial() }),
    hop: (n: number, input: string) => app.handleHttp({ body: g.hop(n, input) }),
  };
}

describe.each(['arkesel', 'nalo', 'hubtel'])('a gateway retry on %s', (gateway) => {
  it('re-sent a few ms after its answer, gets the stored reply byte for byte and moves nothing', async () => {
    const t = setup(gateway);
    await t.dial();
    const prompt = await t.hop(2, '1');
    expect(prompt.body).toContain('Account number:');
    t.tick(5);
    const again = await t.hop(2, '1');
    expect(again.body).toBe(prompt.body);
    expect((await t.app.inspect('r1', gateway))?.envelope.ended).toBe(false);
    // The customer's real answer still applies.
    t.tick(4000);
    expect(await t.hop(3, '1001')).toMatchObject({ body: expect.stringContaining('Account 1001: GHS 12.50') });
  });

  it('re-sent while its hop is still being answered, gets the same reply', async () => {
    const t = setup(gateway);
    await t.dial();
    const [first, second] = await Promise.all([t.hop(2, '1'), t.hop(2, '1')]);
    expect(first.body).toContain('Account number:');
    expect(second.body).toBe(first.body);
  });
});

describe.each(['arkesel', 'nalo'])('the retry window on %s', (gateway) => {
  it('a person pressing the same key again after the window is new input', async () => {
    const t = setup(gateway);
    await t.dial();
    await t.hop(2, '1');
    t.tick(2001);
    const answer = await t.hop(3, '1');
    expect(answer.body).toContain('Account 1: GHS 12.50');
  });

  it('ends at exactly the default (2 s) after the answer and can be configured', async () => {
    const t = setup(gateway);
    await t.dial();
    const prompt = await t.hop(2, '1');
    t.tick(2000);
    expect((await t.hop(2, '1')).body).toBe(prompt.body);

    const short = setup(gateway, 300);
    await short.dial();
    await short.hop(2, '1');
    short.tick(301);
    expect((await short.hop(3, '1')).body).toContain('Account 1: GHS 12.50');
  });

  it('a different input inside the window is new input', async () => {
    const t = setup(gateway);
    await t.dial();
    await t.hop(2, '1');
    t.tick(10);
    expect((await t.hop(3, '42')).body).toContain('Account 42: GHS 12.50');
  });

  it('a window of 0 turns the rule off for retries after the answer', async () => {
    const t = setup(gateway, 0);
    await t.dial();
    await t.hop(2, '1');
    t.tick(1);
    expect((await t.hop(3, '1')).body).toContain('Account 1: GHS 12.50');
  });
});
