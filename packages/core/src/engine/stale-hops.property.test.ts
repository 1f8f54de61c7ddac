import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arkeselUssd } from '../gateways/arkesel.js';
import type { UssdCodec } from '../gateways/codec.js';
import { hubtelUssd } from '../gateways/hubtel.js';
import { naloUssd } from '../gateways/nalo.js';
import { createMenu } from '../menu/dsl.js';
import { createUssdApp, type UssdApp } from './app.js';

/** Runs per property: `PROPERTY_RUNS` overrides the count, e.g. for a quicker pass. */
const runs = (n: number) => Number(process.env.PROPERTY_RUNS) || n;

type Ctx = { n: number; lang: string };
type Services = { charge: (sessionId: string) => number };
const m = createMenu<Ctx, Services>();

/** Navigation, pages, a language switch, an END, and a confirm step whose side effect is counted per session. */
const menu = m.define({
  id: 'counting',
  version: 1,
  initialContext: () => ({ n: 0, lang: 'en' }),
  start: 'home',
  screens: {
    home: m.menu({
      text: (c) => (c.lang === 'sw' ? 'Nyumbani' : 'Home'),
      options: [
        { label: 'Pay', next: 'confirm' },
        { label: 'Language', next: 'home', set: (c) => ({ lang: c.lang === 'en' ? 'sw' : 'en' }) },
        { label: 'List', next: 'list' },
        { label: 'Leave', next: 'bye' },
      ],
    }),
    list: m.menu({
      text: 'Pick a branch',
      options: Array.from({ length: 14 }, (_, i) => ({ label: `Branch number ${i + 1} of the utility`, next: 'home' })),
    }),
    confirm: m.menu({ text: 'Pay KES 733?', options: [{ label: 'Confirm', next: 'charge' }] }),
    charge: m.step({
      run: (_c, { services, session }) => ({ next: 'charged', set: { n: services.charge(session.sessionId) } }),
    }),
    charged: m.menu({ text: (c) => `Charge ${c.n} sent`, options: [{ label: 'Pay again', next: 'confirm' }] }),
    bye: m.end({ text: 'Goodbye' }),
  },
});

function countingApp(codec?: typeof hubtelUssd) {
  const charges = new Map<string, number>();
  const app = createUssdApp({
    menu,
    services: { charge: (id) => charges.set(id, (charges.get(id) ?? 0) + 1).get(id) ?? 0 },
    resume: false,
    ...(codec ? { codec } : {}),
  });
  return { app, charges };
}

const typed = fc.constantFrom('1', '2', '3', '4', '0', '00', '98', '9', '1', '1');
/** What the gateway does next: a new hop, a retry, a late re-send of an earlier hop, or several hops at once. */
const action = fc.oneof(
  { weight: 6, arbitrary: typed.map((input) => ({ kind: 'next' as const, input })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'retry' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('stale' as const), back: fc.nat(8), input: fc.option(typed) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      inputs: fc.array(typed, { minLength: 2, maxLength: 5 }),
      follow: fc.nat(4),
    }),
  },
);
const script = fc.array(action, { minLength: 1, maxLength: 10 });

/**
 * The reference: a fresh session on its own app that gets only the hops the gateway's rules accept, one by one,
 * in order. It knows when that session ended, after which nothing is accepted.
 */
function stepwise(reference: UssdApp, sessionId: string) {
  const inputs: string[] = [];
  let last = '';
  const form = (text: string) => ({ sessionId, phoneNumber: '+254722000222', serviceCode: '*384#', text });
  return {
    async open() {
      last = (await reference.handleHttp({ body: form('') })).body;
    },
    get ended() {
      return last.startsWith('END');
    },
    get path() {
      return inputs.join('*');
    },
    get last() {
      return last;
    },
    async accept(input: string) {
      inputs.push(input);
      last = (await reference.handleHttp({ body: form(inputs.join('*')) })).body;
    },
  };
}

let runId = 0;

describe('random interleavings of retries, stale re-sends and concurrent hops', () => {
  const sut = countingApp();
  const ref = countingApp();

  it("Africa's Talking: side effects are exactly those of the stepwise session of the accepted path", async () => {
    await fc.assert(
      fc.asyncProperty(script, async (actions) => {
        const sessionId = `p${runId++}`;
        const send = (text: string) =>
          sut.app.handleHttp({ body: { sessionId, phoneNumber: '+254722000222', serviceCode: '*384#', text } });
        // The paths the gateway has sent, newest last; the customer's view extends the newest.
        const sent: string[] = [''];
        let current = '';
        const model = stepwise(ref.app, sessionId);
        await model.open();
        await send('');
        // The rule the gateway's paths follow: a path that extends the accepted one adds one input to it.
        const accept = async (path: string) => {
          const acc = model.path;
          if (model.ended || path === acc || (acc !== '' && !path.startsWith(`${acc}*`))) return;
          const input = acc === '' ? path : path.slice(acc.length + 1);
          if (input !== '') await model.accept(input);
        };
        for (const a of actions) {
          if (a.kind === 'next') {
            current = current === '' ? a.input : `${current}*${a.input}`;
            sent.push(current);
            await send(current);
            await accept(current);
          } else if (a.kind === 'retry') {
            await send(current);
          } else if (a.kind === 'stale') {
            const earlier = sent[Math.max(0, sent.length - 1 - a.back)] ?? '';
            const path = a.input === null ? earlier : earlier === '' ? a.input : `${earlier}*${a.input}`;
            await send(path);
            await accept(path);
          } else {
            const paths = a.inputs.map((i) => (current === '' ? i : `${current}*${i}`));
            await Promise.all(paths.map(send));
            for (const path of paths) await accept(path);
            // The gateway goes on from one of them, not necessarily the one that was applied.
            current = paths[a.follow % paths.length] ?? current;
            sent.push(current);
          }
        }
        const saved = await sut.app.inspect(sessionId);
        expect(saved?.envelope.transcript).toBe(model.path);
        expect(saved?.envelope.lastReply).toBe(model.last);
        expect(sut.charges.get(sessionId) ?? 0).toBe(ref.charges.get(sessionId) ?? 0);
      }),
      { numRuns: runs(1200) },
    );
  });

  it('Hubtel: a hop number at or below the last applied never moves the session', async () => {
    const hub = countingApp(hubtelUssd);
    await fc.assert(
      fc.asyncProperty(script, async (actions) => {
        const sessionId = `h${runId++}`;
        let hop = 1;
        const send = (Sequence: number, Message: string, Type = 'Response') =>
          hub.app.handleHttp({
            body: { SessionId: sessionId, Mobile: '254722000222', ServiceCode: '*384#', Type, Message, Sequence },
          });
        const model = stepwise(ref.app, sessionId);
        await model.open();
        await send(1, '*384#', 'Initiation');
        let lastInput = '';
        // The rule numbered hops follow: a number above the last applied one adds its input.
        const accept = async (input: string) => {
          if (!model.ended) await model.accept(input);
        };
        for (const a of actions) {
          if (a.kind === 'next') {
            hop++;
            lastInput = a.input;
            await send(hop, a.input);
            await accept(a.input);
          } else if (a.kind === 'retry') {
            await (hop === 1 ? send(1, '*384#', 'Initiation') : send(hop, lastInput));
          } else if (a.kind === 'stale') {
            await send(Math.max(1, hop - a.back), a.input ?? lastInput);
          } else {
            hop++;
            await Promise.all(a.inputs.map((i) => send(hop, i)));
            // Requests of one session are served in arrival order: the first of them is applied.
            await accept(a.inputs[0] ?? '');
            lastInput = a.inputs[a.follow % a.inputs.length] ?? lastInput;
          }
        }
        const saved = await hub.app.inspect(sessionId, 'hubtel');
        expect(saved?.envelope.transcript).toBe(model.path);
        expect(saved?.envelope.lastReply).toBe(model.last);
        expect(hub.charges.get(sessionId) ?? 0).toBe(ref.charges.get(sessionId) ?? 0);
      }),
      { numRuns: runs(800) },
    );
  });
});

/** Arkesel and Nalo number nothing: what they re-send is the last request, while it is answered or just after. */
const WINDOW = 2000;
const unnumbered: Record<string, { codec: UssdCodec; body: (sessionId: string, input: string | null) => unknown }> = {
  arkesel: {
    codec: arkeselUssd,
    body: (sessionID, input) => ({
      sessionID,
      userID: 'u1',
      msisdn: '233244000111',
      newSession: input === null,
      userData: input ?? '*928#',
    }),
  },
  nalo: {
    codec: naloUssd,
    body: (SESSIONID, input) => ({
      USERID: 'u1',
      MSISDN: '233244000111',
      USERDATA: input ?? '*920#',
      MSGTYPE: input === null,
      SESSIONID,
    }),
  },
};

/** A person's next key (at a person's pace, past the window), sent once or with copies at once; or a late retry. */
const unnumberedAction = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('next' as const),
      input: typed,
      think: fc.nat(5000),
      copies: fc.oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('retry' as const), delay: fc.integer({ min: 0, max: WINDOW }) }),
  },
);

describe.each(Object.keys(unnumbered))('random retries on %s, as it sends them', (name) => {
  const g = unnumbered[name]!;

  it('a retry, at once or within the window after its answer, replays and never moves the session', async () => {
    // The app under test, and a reference on the same gateway that gets each key once, at a person's pace.
    const clocks = { sut: 1_700_000_000_000, ref: 1_700_000_000_000 };
    const appOn = (clock: keyof typeof clocks) => {
      const charges = new Map<string, number>();
      const app = createUssdApp({
        menu,
        services: { charge: (id) => charges.set(id, (charges.get(id) ?? 0) + 1).get(id) ?? 0 },
        resume: false,
        codec: g.codec,
        retryWindowMs: WINDOW,
        now: () => clocks[clock],
      });
      return { app, charges };
    };
    const sut = appOn('sut');
    const ref = appOn('ref');
    await fc.assert(
      fc.asyncProperty(fc.array(unnumberedAction, { minLength: 1, maxLength: 12 }), async (actions) => {
        const sessionId = `${name}${runId++}`;
        const send = (app: UssdApp, input: string | null) =>
          app.handleHttp({ body: g.body(sessionId, input) }).then((r) => r.body);
        await send(ref.app, null);
        let last: string | null = null;
        let answered = clocks.sut;
        let reply = await send(sut.app, null);
        for (const a of actions) {
          if (a.kind === 'retry') {
            clocks.sut = Math.max(clocks.sut, answered + a.delay);
            expect(await send(sut.app, last)).toBe(reply);
            continue;
          }
          clocks.sut = answered + WINDOW + 1 + a.think;
          last = a.input;
          const replies = await Promise.all(Array.from({ length: a.copies + 1 }, () => send(sut.app, a.input)));
          reply = replies[0] ?? '';
          for (const r of replies) expect(r).toBe(reply);
          answered = clocks.sut;
          clocks.ref += WINDOW + 1;
          expect(await send(ref.app, a.input)).toBe(reply);
        }
        const [mine, theirs] = await Promise.all([sut.app.inspect(sessionId, name), ref.app.inspect(sessionId, name)]);
        expect(mine?.envelope.transcript).toBe(theirs?.envelope.transcript);
        expect(mine?.envelope.lastReply).toBe(theirs?.envelope.lastReply);
        expect(sut.charges.get(sessionId) ?? 0).toBe(ref.charges.get(sessionId) ?? 0);
      }),
      { numRuns: runs(800) },
    );
  });
});
