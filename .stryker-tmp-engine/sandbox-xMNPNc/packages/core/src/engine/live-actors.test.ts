// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { createMenu } from '../menu/dsl.js';
import { memorySessionStore } from '../stores/memory.js';
import { ussdTester } from '../testing/tester.js';
import { createUssdApp } from './app.js';

const m = createMenu<{ picks: string[] }>();
const menu = m.define({
  id: 'live',
  version: 1,
  initialContext: () => ({ picks: [] }),
  start: 'home',
  screens: {
    home: m.menu({
      text: (c) => `Home ${c.picks.join(',')}`,
      options: [
        { label: 'A', next: 'home', set: (c) => ({ picks: [...c.picks, 'a'] }) },
        { label: 'B', next: 'home', set: (c) => ({ picks: [...c.picks, 'b'] }) },
      ],
    }),
  },
});

describe('live actors kept between turns', () => {
  it('are not used once another node has written the session', async () => {
    const store = memorySessionStore();
    const nodeA = createUssdApp({ menu, store });
    const nodeB = createUssdApp({ menu, store });
    const hop = (node: typeof nodeA, text: string) =>
      node.handleHttp({ body: { sessionId: 'shared', phoneNumber: '+254711000111', serviceCode: '*384#', text } });
    await hop(nodeA, '');
    await hop(nodeA, '1');
    // Node B serves the next hops from the stored envelope; node A's live actor still stands on the old one.
    await hop(nodeB, '1*1');
    await hop(nodeB, '1*1*2');
    const next = await hop(nodeA, '1*1*2*1');
    expect(next.body).toBe('CON Home a,a,b,a\n1. A\n2. B');
  });

  it('are not used when the machine moved on its own after the turn', async () => {
    const machine = createMachine({
      id: 'timed',
      initial: 'first',
      states: {
        first: {
          after: { 20: 'second' },
          on: { INPUT: 'third' },
          meta: { ussd: { render: () => ({ text: 'First' }) } },
        },
        second: { on: { INPUT: 'fourth' }, meta: { ussd: { render: () => ({ text: 'Second' }) } } },
        fourth: { type: 'final', meta: { ussd: { render: () => ({ text: 'Fourth' }) } } },
        third: { type: 'final', meta: { ussd: { render: () => ({ text: 'Third' }) } } },
      },
    });
    const app = createUssdApp({ menu: { machine, id: 'timed', version: 1 } });
    const s = ussdTester(app).session();
    expect((await s.dial()).body).toBe('CON First');
    await new Promise((r) => setTimeout(r, 50));
    // The stored session is still on `first`: a retry replays it, and the actor that moved is not reused.
    expect((await s.retry()).body).toBe('CON First');
    expect((await app.inspect(s.sessionId))?.value).toBe('first');
    expect((await s.input('1')).body).toBe('END Third');
  });

  it('rely on xstate keeping the same snapshot object while nothing happens', () => {
    const machine = createMachine({ initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } });
    const actor = createActor(machine).start();
    const before = actor.getSnapshot();
    actor.getPersistedSnapshot();
    expect(actor.getSnapshot()).toBe(before);
    actor.send({ type: 'GO' });
    expect(actor.getSnapshot()).not.toBe(before);
    actor.stop();
  });
});
