import { describe, expect, it } from 'vitest';
import { assign, createMachine, fromPromise } from 'xstate';
import { isUssdError } from '../errors.js';
import { defaultNavigationKeys } from '../menu/screen.js';
import { silentLogger } from '../util/logger.js';
import { createMachineRunner } from './machine-runner.js';

interface Ctx {
  session: unknown;
  n: number;
}
const screen = (text: (c: Ctx) => string, extra: Record<string, unknown> = {}) => ({
  ussd: { render: (c: Ctx) => ({ text: text(c), ...extra }) },
});
const fruit = Array.from({ length: 12 }, (_, i) => ({ key: String(i + 1), label: `Fruit number ${i + 1}` }));

const machine = createMachine({
  types: {} as { context: Ctx },
  context: ({ input }: { input: { session: unknown } }) => ({ session: input.session, n: 0 }),
  initial: 'home',
  states: {
    home: {
      meta: { ussd: { render: (c: Ctx) => ({ text: `Home ${c.n}`, options: fruit }) } },
      on: {
        INPUT: [
          { guard: ({ event }) => event.value === '1', target: 'next' },
          { guard: ({ event }) => event.value === '2', target: 'slow' },
          { guard: ({ event }) => event.value === '3', target: 'broken' },
          { guard: ({ event }) => event.value === '4', target: 'blank' },
          { guard: ({ event }) => event.value === '5', target: 'bye' },
          { target: 'home', actions: assign({ n: ({ context }) => context.n + 1 }) },
        ],
      },
    },
    next: { meta: screen((c) => `Next ${c.n}`, { resumable: true }), on: { INPUT: 'last' } },
    last: { meta: screen(() => 'Last', { nav: false }), on: { INPUT: 'home' } },
    slow: {
      invoke: {
        src: fromPromise(() => new Promise((r) => setTimeout(r, 5))),
        onDone: 'next',
      },
    },
    broken: {
      invoke: {
        src: fromPromise(async () => {
          throw new Error('step failed');
        }),
      },
    },
    blank: { type: 'final' },
    bye: { type: 'final' },
  },
  output: ({ context }) => (context.n === 0 ? undefined : { text: `Bye ${context.n}` }),
});

const runner = createMachineRunner({
  machine,
  machineId: 'fruit',
  keys: defaultNavigationKeys,
  limits: { default: 100, byNetwork: { tight: 60 } },
  gatewayLimit: Number.POSITIVE_INFINITY,
  historyDepth: 2,
  labels: () => ({ more: 'More', back: 'Back' }),
  logger: silentLogger,
});
const session = { sessionId: 's', phoneNumber: '+1', serviceCode: '*1#', provider: 'p' };
const signal = () => new AbortController().signal;

describe('the machine runner', () => {
  it('pages forward to the last page and back, and passes a page turn on the last page to the machine', async () => {
    const p0 = await runner.start(session, signal());
    expect(p0.state.page).toBe(0);
    expect(p0.result.text).toBe(
      'Home 0\n1. Fruit number 1\n2. Fruit number 2\n3. Fruit number 3\n4. Fruit number 4\n98. More',
    );
    const p1 = await runner.applyInput(session, p0.state, '98', signal());
    expect(p1.state.page).toBe(1);
    expect(p1.result.text).toBe(
      '5. Fruit number 5\n6. Fruit number 6\n7. Fruit number 7\n8. Fruit number 8\n98. More\n0. Back',
    );
    const p2 = await runner.applyInput(session, p1.state, '98', signal());
    expect(p2.state.page).toBe(2);
    expect(p2.result.text).toBe(
      '9. Fruit number 9\n10. Fruit number 10\n11. Fruit number 11\n12. Fruit number 12\n0. Back',
    );
    const beyond = await runner.applyInput(session, p2.state, '98', signal());
    expect(beyond.state.page).toBe(0);
    expect(beyond.result.text.startsWith('Home 1\n')).toBe(true);
    const back = await runner.applyInput(session, p2.state, '0', signal());
    expect(back.state.page).toBe(1);
    expect(back.result.text).toBe(p1.result.text);
    const first = await runner.applyInput(session, back.state, '0', signal());
    expect(first.state.page).toBe(0);
    expect(first.result.text).toBe(p0.result.text);
  });

  it('takes page size from the network limit', async () => {
    const wide = await runner.start(session, signal());
    const tight = await runner.start({ ...session, networkCode: 'tight' }, signal());
    expect(tight.result.text.length).toBeLessThan(wide.result.text.length);
    expect(tight.result.text.length + 4).toBeLessThanOrEqual(60);
    expect(wide.result.text.length + 4).toBeLessThanOrEqual(100);
  });

  it('keeps history up to its depth and goes back and home through it', async () => {
    const s0 = await runner.start(session, signal());
    const s1 = await runner.applyInput(session, s0.state, '1', signal());
    expect(s1.result.text).toBe('Next 0');
    expect(s1.resumable).toBe(true);
    expect(s1.state.history).toHaveLength(1);
    const s2 = await runner.applyInput(session, s1.state, 'x', signal());
    expect(s2.result.text).toBe('Last');
    expect(s2.resumable).toBe(false);
    expect(s2.state.history).toHaveLength(2);
    // `Last` opted out of navigation: `0` is an input for the machine there.
    const s3 = await runner.applyInput(session, s2.state, '0', signal());
    expect(s3.result.text.startsWith('Home 0')).toBe(true);
    expect(s3.state.history).toHaveLength(2);
    const s4 = await runner.applyInput(session, s3.state, '1', signal());
    expect(s4.state.history).toHaveLength(2);
    const back = await runner.applyInput(session, s4.state, '0', signal());
    expect(back.result.text.startsWith('Home 0')).toBe(true);
    expect(back.state.history).toHaveLength(1);
    const home = await runner.applyInput(session, s4.state, '00', signal());
    // Depth 2: the oldest screen kept is `Last`.
    expect(home.result.text).toBe('Last');
    expect(home.state.history).toEqual([]);
  });

  it('waits for a step to settle', async () => {
    const s0 = await runner.start(session, signal());
    const s1 = await runner.applyInput(session, s0.state, '2', signal());
    expect(s1.result).toEqual({ type: 'CON', text: 'Next 0', body: 'CON Next 0' });
  });

  it('gives up waiting when the turn is aborted', async () => {
    const s0 = await runner.start(session, signal());
    const controller = new AbortController();
    const pending = runner.applyInput(session, s0.state, '2', controller.signal);
    controller.abort(new Error('deadline'));
    await expect(pending).rejects.toThrow('deadline');
    const aborted = new AbortController();
    aborted.abort(new Error('already late'));
    await expect(runner.applyInput(session, s0.state, '2', aborted.signal)).rejects.toThrow('already late');
  });

  it('reports a failed machine and a machine without a screen as menu errors', async () => {
    const s0 = await runner.start(session, signal());
    const failed = await runner.applyInput(session, s0.state, '3', signal()).catch((e: unknown) => e);
    expect(isUssdError(failed, 'MENU_RUNTIME')).toBe(true);
    expect((failed as Error).message).toBe('menu machine failed');
    expect(((failed as Error).cause as Error).message).toBe('step failed');
    const blank = await runner.applyInput(session, s0.state, '4', signal()).catch((e: unknown) => e);
    expect(isUssdError(blank, 'MENU_RUNTIME')).toBe(true);
    expect((blank as Error).message).toBe('machine settled on a state without a screen');
  });

  it('ends with the output text and keeps no history or actor', async () => {
    const s0 = await runner.start(session, signal());
    const s1 = await runner.applyInput(session, s0.state, 'x', signal());
    const bye = await runner.applyInput(session, s1.state, '5', signal());
    expect(bye.result).toEqual({ type: 'END', text: 'Bye 1', body: 'END Bye 1' });
    expect(bye.actor).toBeUndefined();
    expect(bye.resumable).toBe(false);
    expect(bye.state.history).toEqual([]);
  });

  it('shows a saved state with a notice above it, and renders engine screens', async () => {
    const s0 = await runner.start(session, signal());
    const s1 = await runner.applyInput(session, s0.state, '1', signal());
    const shown = runner.show(s1.state, session, 'Welcome back');
    expect(shown.result.text).toBe('Welcome back\nNext 0');
    expect(runner.show(s1.state, session).result.text).toBe('Next 0');
    expect(runner.render({ text: 'Q', options: [{ key: '1', label: 'Yes' }] }, session, {})).toEqual({
      type: 'CON',
      text: 'Q\n1. Yes',
      body: 'CON Q\n1. Yes',
    });
  });
});
