import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { applyDelta, deltaOf, snapshotBase, withoutSession, withSession } from './snapshot-delta.js';

describe('screen deltas', () => {
  const from = { status: 'active', value: 'home', historyValue: {}, context: { n: 1, lang: 'en' } };

  it('leave off empty context and other changes', () => {
    expect(deltaOf({ ...from, value: 'pay' }, from)).toEqual(['pay']);
    expect(deltaOf({ ...from, value: 'pay', context: { n: 2, lang: 'en' } }, from)).toEqual(['pay', { '/n': 2 }]);
    expect(deltaOf({ ...from, value: 'pay', status: 'done' }, from)).toEqual(['pay', {}, { '/status': 'done' }]);
    expect(deltaOf({ ...from, value: { pay: 'amount' }, context: { n: 1 }, output: 3 }, from)).toEqual([
      { pay: 'amount' },
      { '-/lang': 1 },
      { '/output': 3 },
    ]);
  });

  it('rebuild the target whichever parts they carry', () => {
    const targets = [
      { ...from, value: 'pay' },
      { ...from, value: 'pay', context: { n: 2, lang: 'sw' } },
      { ...from, value: 'pay', status: 'done', output: { text: 'bye' } },
      { status: 'active', value: 'x', context: { n: 1, lang: 'en' } },
    ];
    for (const target of targets) expect(applyDelta(from, deltaOf(target, from))).toEqual(target);
  });

  it('drop the context when neither side has one', () => {
    const bare = { status: 'active', value: 'a' };
    const out = applyDelta(bare, ['b']);
    expect(out).toEqual({ status: 'active', value: 'b' });
    expect('context' in out).toBe(false);
  });

  it('drop the context a delta removes whole', () => {
    const out = applyDelta(from, ['b', { '-': 1 }]);
    expect(out).toEqual({ status: 'active', value: 'b', historyValue: {} });
    expect('context' in out).toBe(false);
  });

  it('ignore empty parts and share the untouched context', () => {
    const out = applyDelta(from, ['b', {}, {}]);
    expect(out).toEqual({ ...from, value: 'b' });
    expect(out.context).toBe(from.context);
    expect(out).not.toBe(from);
  });

  it('start from an empty object when the other changes replace the snapshot with a non-object', () => {
    expect(applyDelta(from, ['b', {}, { '': 5 }])).toEqual({ value: 'b', context: { n: 1, lang: 'en' } });
  });
});

describe('the session in a snapshot', () => {
  it('is left out when stored', () => {
    const s = { value: 'a', context: { session: { phone: '+1' }, n: 1 } };
    expect(withoutSession(s)).toEqual({ value: 'a', context: { session: null, n: 1 } });
    expect(s.context.session).toEqual({ phone: '+1' });
  });

  it('leaves alone snapshots that carry none', () => {
    for (const s of [
      { value: 'a' },
      { value: 'a', context: null },
      { value: 'a', context: 5 },
      { value: 'a', context: { n: 1 } },
      { value: 'a', context: { session: null } },
    ]) {
      expect(withoutSession(s)).toBe(s);
    }
  });

  it('is put back on restore, only where the context has a place for it', () => {
    expect(withSession({ value: 'a', context: { session: null, n: 1 } }, { phone: '+2' })).toEqual({
      value: 'a',
      context: { session: { phone: '+2' }, n: 1 },
    });
    for (const s of [{ value: 'a' }, { value: 'a', context: null }, { value: 'a', context: { n: 1 } }]) {
      expect(withSession(s, { phone: '+2' })).toBe(s);
    }
  });
});

describe('the base snapshot', () => {
  it('holds the initial context without the session when the machine computes it the same twice', () => {
    const machine = createMachine({
      context: ({ input }: { input: { session: unknown } }) => ({ session: input.session, lang: 'en', n: 0 }),
      initial: 'a',
      states: { a: {} },
    });
    const b = snapshotBase(machine);
    expect(b.snapshot).toEqual({
      status: 'active',
      historyValue: {},
      children: {},
      context: { session: null, lang: 'en', n: 0 },
    });
    const copy = b.fresh();
    expect(copy).toEqual(b.snapshot);
    expect(copy).not.toBe(b.snapshot);
    expect(copy.context).not.toBe(b.fresh().context);
  });

  it('leaves the context out when it differs between two computations', () => {
    let calls = 0;
    const machine = createMachine({ context: () => ({ seed: calls++ }), initial: 'a', states: { a: {} } });
    expect(snapshotBase(machine).snapshot).toEqual({ status: 'active', historyValue: {}, children: {} });
  });

  it('leaves the context out when the machine cannot be created or does not stay active', () => {
    const throwing = createMachine({
      context: () => {
        throw new Error('no input');
      },
      initial: 'a',
      states: { a: {} },
    });
    expect(snapshotBase(throwing).snapshot).toEqual({ status: 'active', historyValue: {}, children: {} });
    const finished = createMachine({ context: { n: 1 }, initial: 'a', states: { a: { type: 'final' } } });
    expect(snapshotBase(finished).snapshot).toEqual({ status: 'active', historyValue: {}, children: {} });
  });
});
