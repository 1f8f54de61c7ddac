import { describe, expect, it } from 'vitest';
import type { Envelope, ResumePoint } from './envelope.js';
import type { MachineRunner, Run } from './machine-runner.js';
import {
  combineObservers,
  createWatching,
  observedRepository,
  observedRunner,
  reportOf,
  screenName,
  startWatch,
  type TurnPhase,
  type TurnReport,
  type TurnStart,
  type TurnTracker,
} from './observer.js';
import type { SessionRepository } from './session-repository.js';

const start: TurnStart = {
  gateway: 'hubtel',
  menuId: 'shop',
  menuVersion: '2',
  sessionId: 's1',
  requestId: 'req-1',
};

/** A tracker that writes down every phase start and end, and the reports it gets. */
function recorder() {
  const events: string[] = [];
  const reports: TurnReport[] = [];
  const tracker: TurnTracker = {
    phase(name: TurnPhase) {
      events.push(`start ${name}`);
      return (error?: unknown) => events.push(error ? `fail ${name}: ${(error as Error).message}` : `end ${name}`);
    },
    end: (r) => reports.push(r),
  };
  return { events, reports, tracker };
}

const envelope = (value: unknown, resume?: ResumePoint): Envelope => ({
  machineId: 'shop',
  machineVersion: '2',
  transcript: '',
  lastReply: 'CON x',
  ended: false,
  snapshot: { value },
  history: [],
  page: 0,
  updatedAt: 0,
  ...(resume ? { resume } : {}),
});

describe('combined observers', () => {
  it('skip a turn no observer wants', () => {
    expect(combineObservers({ begin: () => undefined }, { begin: () => undefined }).begin(start)).toBeUndefined();
    expect(combineObservers().begin(start)).toBeUndefined();
  });

  it('hand over the one tracker when only one observer wants the turn', () => {
    const only = recorder().tracker;
    expect(combineObservers({ begin: () => undefined }, { begin: () => only }).begin(start)).toBe(only);
  });

  it('pass the turn, every phase, its end and the report to each tracker', () => {
    const a = recorder();
    const b = recorder();
    const seen: TurnStart[] = [];
    const plain: TurnTracker = { end: () => undefined };
    const combined = combineObservers(
      {
        begin: (t) => {
          seen.push(t);
          return a.tracker;
        },
      },
      { begin: () => b.tracker },
      { begin: () => plain },
    ).begin(start) as TurnTracker;
    expect(seen).toEqual([start]);
    combined.phase?.('load')();
    combined.phase?.('step')(new Error('boom'));
    const report = { outcome: 'ok' } as TurnReport;
    combined.end(report);
    for (const r of [a, b]) {
      expect(r.events).toEqual(['start load', 'end load', 'start step', 'fail step: boom']);
      expect(r.reports).toEqual([report]);
    }
  });
});

describe('screen names', () => {
  it('name a state value, nested states joined by dots', () => {
    expect(screenName('menu')).toBe('menu');
    expect(screenName({ pay: 'amount' })).toBe('pay.amount');
    expect(screenName({ pay: { card: 'number' } })).toBe('pay.card.number');
    expect(screenName({ pay: {} })).toBe('pay');
  });

  it('are undefined for anything that is not a state value', () => {
    expect(screenName(undefined)).toBeUndefined();
    expect(screenName(null)).toBeUndefined();
    expect(screenName(7)).toBeUndefined();
    expect(screenName({})).toBeUndefined();
    expect(screenName('')).toBe('');
  });
});

describe('turn reports', () => {
  it('copy the turn start and the timings, measured from the watch start', () => {
    const { tracker, events } = recorder();
    const w = startWatch(start, tracker);
    expect(events).toEqual(['start lock']);
    expect(w).toMatchObject({ lockedAt: undefined, storeMs: 0, stepMs: 0, screenBefore: undefined });
    w.started = performance.now() - 10_000;
    w.lockedAt = w.started + 250;
    w.storeMs = 12;
    w.stepMs = 34;
    w.screenBefore = 'home';
    w.screenAfter = 'amount';
    const r = reportOf(w, 'ok', 'CON');
    expect(r).toMatchObject({
      gateway: 'hubtel',
      menuId: 'shop',
      menuVersion: '2',
      sessionId: 's1',
      requestId: 'req-1',
      outcome: 'ok',
      type: 'CON',
      screenBefore: 'home',
      screenAfter: 'amount',
      lockWaitMs: 250,
      storeMs: 12,
      stepMs: 34,
    });
    expect(r.durationMs).toBeGreaterThanOrEqual(10_000);
    expect(r.durationMs).toBeLessThan(20_000);
  });

  it('count the whole turn as lock wait when the lock was never held', () => {
    const w = startWatch(start, recorder().tracker);
    w.started = performance.now() - 5_000;
    const r = reportOf(w, 'busy', 'END');
    expect(r.lockWaitMs).toBe(r.durationMs);
    expect(r.lockWaitMs).toBeGreaterThanOrEqual(5_000);
  });

  it('keep a failed turn on the screen it started from', () => {
    for (const outcome of ['error', 'timeout', 'busy'] as const) {
      const w = startWatch(start, recorder().tracker);
      w.screenBefore = 'amount';
      w.screenAfter = 'paid';
      expect(reportOf(w, outcome, 'END').screenAfter).toBe('amount');
    }
    for (const outcome of ['ok', 'replay', 'stale', 'capped'] as const) {
      const w = startWatch(start, recorder().tracker);
      w.screenBefore = 'amount';
      w.screenAfter = 'paid';
      expect(reportOf(w, outcome, 'END').screenAfter).toBe('paid');
    }
  });

  it('start without a lock phase when the tracker times no phases', () => {
    expect(startWatch(start, { end: () => undefined }).endLock).toBeUndefined();
  });
});

describe('watching turns in flight', () => {
  const keyOf = (provider: string, sessionId: string) => `k:${provider}:${sessionId}`;
  const session = { sessionId: 's1', phoneNumber: '+1', serviceCode: '*1#', provider: 'hubtel' };

  it('finds the turn of a session only while it runs', async () => {
    const watching = createWatching(keyOf);
    const w = startWatch(start, recorder().tracker);
    expect(watching.ofSession(session)).toBeUndefined();
    const inside = await watching.during('k:hubtel:s1', '+1', w, async () => ({
      bySession: watching.ofSession(session),
      other: watching.ofSession({ ...session, sessionId: 's2' }),
      byPhone: watching.byPhone.get('+1'),
    }));
    expect(inside).toEqual({ bySession: w, other: undefined, byPhone: w });
    expect(watching.byKey.size).toBe(0);
    expect(watching.byPhone.size).toBe(0);
  });

  it('clears the turn after a failure too, but not a later turn that took its place', async () => {
    const watching = createWatching(keyOf);
    const w1 = startWatch(start, recorder().tracker);
    const w2 = startWatch(start, recorder().tracker);
    await expect(
      watching.during('k', '+1', w1, async () => {
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
    expect(watching.byKey.has('k')).toBe(false);
    await watching.during('k', '+1', w1, async () => {
      watching.byKey.set('k', w2);
      watching.byPhone.set('+1', w2);
    });
    expect(watching.byKey.get('k')).toBe(w2);
    expect(watching.byPhone.get('+1')).toBe(w2);
  });
});

/** A repository whose calls resolve with fixed answers after `ms` or fail when asked to. */
function slowRepo(ms: number, fail = false) {
  const calls: string[] = [];
  const after = <T>(name: string, value: T) => {
    calls.push(name);
    return new Promise<T>((resolve, reject) =>
      setTimeout(() => (fail ? reject(new Error(`${name} failed`)) : resolve(value)), ms),
    );
  };
  const loaded = { kind: 'ok' as const, envelope: envelope({ pay: 'amount' }) };
  const repo = {
    keyOf: (p: string, s: string) => `${p}:${s}`,
    withLock: (_k: string, _o: unknown, fn: () => Promise<unknown>) => fn(),
    load: () => after('load', loaded),
    commit: () => after('commit', undefined),
    forget: () => after('forget', undefined),
    takeResumePoint: () => after('takeResumePoint', { snapshot: { value: 'x' }, history: [] }),
    make: () => envelope('made'),
  } as unknown as SessionRepository;
  return { repo, calls, loaded };
}

describe('the observed repository', () => {
  it('passes calls of unobserved sessions straight through', async () => {
    const { repo, calls, loaded } = slowRepo(0);
    const observed = observedRepository(repo, createWatching(repo.keyOf));
    expect(await observed.load('k')).toBe(loaded);
    await observed.commit('k', envelope('a'), '+1', { kind: 'keep' });
    await observed.forget('k');
    expect(await observed.takeResumePoint('+1')).toEqual({ snapshot: { value: 'x' }, history: [] });
    expect(calls).toEqual(['load', 'commit', 'forget', 'takeResumePoint']);
    expect(observed.keyOf('a', 'b')).toBe('a:b');
  });

  it('times the store calls of an observed turn and notes its screens', async () => {
    const { repo, loaded } = slowRepo(5);
    const watching = createWatching(repo.keyOf);
    const observed = observedRepository(repo, watching);
    const { tracker, events } = recorder();
    const w = startWatch(start, tracker);
    await watching.during('k', '+1', w, async () => {
      expect(await observed.load('k')).toBe(loaded);
      expect([w.screenBefore, w.screenAfter]).toEqual(['pay.amount', 'pay.amount']);
      await observed.commit('k', envelope('done'), '+1', { kind: 'keep' });
      expect(w.screenAfter).toBe('done');
      await observed.commit('k', envelope('done', { snapshot: {}, history: [] }), '+1', { kind: 'keep' });
      expect(w.screenAfter).toBe('resume');
      await observed.takeResumePoint('+1');
      await observed.forget('k');
      expect(w.screenAfter).toBeUndefined();
    });
    expect(w.screenBefore).toBe('pay.amount');
    expect(events).toEqual([
      'start lock',
      'start load',
      'end load',
      'start commit',
      'end commit',
      'start commit',
      'end commit',
      'start resume',
      'end resume',
      'start commit',
      'end commit',
    ]);
    // Five calls of about 5 ms each; timers may fire a little early.
    expect(w.storeMs).toBeGreaterThanOrEqual(20);
    expect(w.stepMs).toBe(0);
  });

  it('leaves the screen unknown when nothing was loaded', async () => {
    const { repo } = slowRepo(0);
    const none = { ...repo, load: async () => ({ kind: 'none' as const }) } as SessionRepository;
    const watching = createWatching(repo.keyOf);
    const w = startWatch(start, recorder().tracker);
    await watching.during('k', '+1', w, () => observedRepository(none, watching).load('k'));
    expect([w.screenBefore, w.screenAfter]).toEqual([undefined, undefined]);
  });

  it('ends a failed store call with its error, and still counts its time', async () => {
    const { repo } = slowRepo(5, true);
    const watching = createWatching(repo.keyOf);
    const { tracker, events } = recorder();
    const w = startWatch(start, tracker);
    await watching.during('k', '+1', w, async () => {
      await expect(observedRepository(repo, watching).load('k')).rejects.toThrow('load failed');
    });
    expect(events).toEqual(['start lock', 'start load', 'fail load: load failed']);
    expect(w.storeMs).toBeGreaterThanOrEqual(3);
    expect(w.screenBefore).toBeUndefined();
  });
});

describe('the observed runner', () => {
  const session = { sessionId: 's1', phoneNumber: '+1', serviceCode: '*1#', provider: 'hubtel' };
  const run = { result: { type: 'CON', text: 'x', body: 'CON x' } } as Run;
  const rendered = { type: 'CON' as const, text: 'r', body: 'CON r' };

  function runner(failShow = false) {
    const calls: string[] = [];
    const slow = (name: string) => {
      calls.push(name);
      return new Promise<Run>((r) => setTimeout(() => r(run), 5));
    };
    const inner: MachineRunner = {
      start: () => slow('start'),
      applyInput: () => slow('applyInput'),
      show: () => {
        calls.push('show');
        const until = performance.now() + 3;
        while (performance.now() < until) {
          // a synchronous render that takes a few ms
        }
        if (failShow) throw new Error('render failed');
        return run;
      },
      render: () => rendered,
    };
    return { inner, calls };
  }

  it('passes calls of unobserved sessions straight through', async () => {
    const { inner, calls } = runner();
    const observed = observedRunner(
      inner,
      createWatching((p, s) => `${p}:${s}`),
    );
    const signal = new AbortController().signal;
    const state = { snapshot: {}, history: [], page: 0 };
    expect(await observed.start(session, signal)).toBe(run);
    expect(await observed.applyInput(session, state, '1', signal)).toBe(run);
    expect(observed.show(state, session)).toBe(run);
    expect(observed.render({ text: 'x' }, session, {})).toBe(rendered);
    expect(calls).toEqual(['start', 'applyInput', 'show']);
  });

  it('times every machine run of an observed turn as a step', async () => {
    const { inner, calls } = runner();
    const watching = createWatching((p, s) => `${p}:${s}`);
    const observed = observedRunner(inner, watching);
    const { tracker, events } = recorder();
    const w = startWatch(start, tracker);
    const signal = new AbortController().signal;
    const state = { snapshot: {}, history: [], page: 0 };
    await watching.during('hubtel:s1', '+1', w, async () => {
      expect(await observed.start(session, signal)).toBe(run);
      expect(await observed.applyInput(session, state, '1', signal)).toBe(run);
      expect(observed.show(state, session, 'notice')).toBe(run);
    });
    expect(calls).toEqual(['start', 'applyInput', 'show']);
    expect(events).toEqual([
      'start lock',
      'start step',
      'end step',
      'start step',
      'end step',
      'start step',
      'end step',
    ]);
    expect(w.stepMs).toBeGreaterThanOrEqual(10);
    expect(w.storeMs).toBe(0);
  });

  it('ends a failed render with its error and still counts its time', async () => {
    const { inner } = runner(true);
    const watching = createWatching((p, s) => `${p}:${s}`);
    const { tracker, events } = recorder();
    const w = startWatch(start, tracker);
    await watching.during('hubtel:s1', '+1', w, async () => {
      expect(() => observedRunner(inner, watching).show({ snapshot: {}, history: [], page: 0 }, session)).toThrow(
        'render failed',
      );
    });
    expect(events).toEqual(['start lock', 'start step', 'fail step: render failed']);
    expect(w.stepMs).toBeGreaterThanOrEqual(3);
  });
});
