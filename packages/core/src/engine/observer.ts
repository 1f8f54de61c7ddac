import type { SessionInfo } from '../menu/text.js';
import type { MachineRunner } from './machine-runner.js';
import type { TurnOutcome } from './outcome.js';
import type { SessionRepository } from './session-repository.js';

/** What is known as a turn begins. No phone number: observers feed metrics and traces, which must not hold one. */
export interface TurnStart {
  /** The gateway codec's name, e.g. `africastalking`. */
  gateway: string;
  menuId: string;
  menuVersion: string;
  sessionId: string;
  /** The HTTP request's id when the adapter passed one: ties the turn's metrics and trace to the request log. */
  requestId: string | undefined;
}

/** A part of a turn that an observer may time or trace on its own. */
export type TurnPhase = 'lock' | 'load' | 'step' | 'commit' | 'resume';

/** Everything a metrics or tracing backend needs about one finished turn. Times in milliseconds. */
export interface TurnReport extends TurnStart {
  outcome: TurnOutcome;
  type: 'CON' | 'END';
  /** The state the session rested on before this turn (undefined for a new session). */
  screenBefore: string | undefined;
  /** The state it rests on now (undefined when the session was released). */
  screenAfter: string | undefined;
  durationMs: number;
  /** From the start of the turn until the session's lock was held. */
  lockWaitMs: number;
  /** In session-store reads and writes (loading, committing, resume points), decoding included. */
  storeMs: number;
  /** In the menu machine: its transitions and the steps they invoke, rendering included. */
  stepMs: number;
}

/** Hears about one turn: its phases as they run, then its report. */
export interface TurnTracker {
  /** A phase began; call the returned function when it ends (with the error when it failed). */
  phase?(name: TurnPhase): (error?: unknown) => void;
  end(report: TurnReport): void;
}

/**
 * Watches every turn, for metrics and tracing. Without one the engine measures nothing; with one it times
 * the lock wait, store calls and machine steps of each turn.
 */
export interface TurnObserver {
  /** Called as a turn begins; return undefined to skip this turn. */
  begin(turn: TurnStart): TurnTracker | undefined;
}

/** Several observers as one (e.g. Prometheus and OpenTelemetry side by side). */
export function combineObservers(...observers: TurnObserver[]): TurnObserver {
  return {
    begin(turn) {
      const trackers = observers.map((o) => o.begin(turn)).filter((t): t is TurnTracker => t !== undefined);
      if (trackers.length === 0) return undefined;
      if (trackers.length === 1) return trackers[0];
      return {
        phase(name) {
          const ends = trackers.map((t) => t.phase?.(name));
          return (error) => {
            for (const end of ends) end?.(error);
          };
        },
        end(report) {
          for (const t of trackers) t.end(report);
        },
      };
    },
  };
}

/** A state value as one screen name: `menu`, or `pay.amount` for a nested state. */
export function screenName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return undefined;
  const [key, inner] = Object.entries(value)[0] ?? [];
  if (key === undefined) return undefined;
  const rest = screenName(inner);
  return rest === undefined ? key : `${key}.${rest}`;
}

/** One observed turn: its start, its tracker and the timings its repository and runner calls add up. */
export interface Watch {
  start: TurnStart;
  tracker: TurnTracker;
  started: number;
  lockedAt: number | undefined;
  storeMs: number;
  stepMs: number;
  screenBefore: string | undefined;
  screenAfter: string | undefined;
  endLock: ((error?: unknown) => void) | undefined;
}

export function startWatch(start: TurnStart, tracker: TurnTracker): Watch {
  return {
    start,
    tracker,
    started: performance.now(),
    lockedAt: undefined,
    storeMs: 0,
    stepMs: 0,
    screenBefore: undefined,
    screenAfter: undefined,
    endLock: tracker.phase?.('lock'),
  };
}

/**
 * The observed turns in flight, by session key and by phone. A session runs one turn at a time under its lock,
 * so the key finds the turn a repository or runner call belongs to without a wrapper per turn.
 */
export function createWatching(keyOf: (provider: string, sessionId: string) => string) {
  const byKey = new Map<string, Watch>();
  const byPhone = new Map<string, Watch>();
  return {
    byKey,
    byPhone,
    ofSession: (s: SessionInfo) => (byKey.size === 0 ? undefined : byKey.get(keyOf(s.provider, s.sessionId))),
    /** Runs `fn` as the session's observed turn. */
    async during<T>(key: string, phone: string, w: Watch, fn: () => Promise<T>): Promise<T> {
      byKey.set(key, w);
      byPhone.set(phone, w);
      try {
        return await fn();
      } finally {
        if (byKey.get(key) === w) byKey.delete(key);
        if (byPhone.get(phone) === w) byPhone.delete(phone);
      }
    },
  };
}

export type Watching = ReturnType<typeof createWatching>;

/** Awaits `work`, adding its time to the watch and ending its phase. */
async function settle<T>(
  w: Watch,
  field: 'storeMs' | 'stepMs',
  t0: number,
  end: ((error?: unknown) => void) | undefined,
  work: Promise<T>,
): Promise<T> {
  try {
    const out = await work;
    end?.();
    return out;
  } catch (err) {
    end?.(err);
    throw err;
  } finally {
    w[field] += performance.now() - t0;
  }
}

/** The session repository as observed turns see it: same behaviour, store calls timed, screens noted. */
export function observedRepository(repo: SessionRepository, watching: Watching): SessionRepository {
  return {
    ...repo,
    async load(key) {
      const w = watching.byKey.get(key);
      if (!w) return repo.load(key);
      const loaded = await settle(w, 'storeMs', performance.now(), w.tracker.phase?.('load'), repo.load(key));
      if (loaded.kind === 'ok') w.screenBefore = w.screenAfter = screenName(loaded.envelope.snapshot.value);
      return loaded;
    },
    commit(key, envelope, ...rest) {
      const w = watching.byKey.get(key);
      if (!w) return repo.commit(key, envelope, ...rest);
      w.screenAfter = envelope.resume ? 'resume' : screenName(envelope.snapshot.value);
      return settle(w, 'storeMs', performance.now(), w.tracker.phase?.('commit'), repo.commit(key, envelope, ...rest));
    },
    forget(key) {
      const w = watching.byKey.get(key);
      if (!w) return repo.forget(key);
      w.screenAfter = undefined;
      return settle(w, 'storeMs', performance.now(), w.tracker.phase?.('commit'), repo.forget(key));
    },
    takeResumePoint(phone) {
      const w = watching.byPhone.get(phone);
      if (!w) return repo.takeResumePoint(phone);
      return settle(w, 'storeMs', performance.now(), w.tracker.phase?.('resume'), repo.takeResumePoint(phone));
    },
  };
}

/** The machine runner as observed turns see it: every machine run timed as a step. */
export function observedRunner(runner: MachineRunner, watching: Watching): MachineRunner {
  return {
    start(session, signal) {
      const w = watching.ofSession(session);
      if (!w) return runner.start(session, signal);
      return settle(w, 'stepMs', performance.now(), w.tracker.phase?.('step'), runner.start(session, signal));
    },
    applyInput(session, ...rest) {
      const w = watching.ofSession(session);
      if (!w) return runner.applyInput(session, ...rest);
      const end = w.tracker.phase?.('step');
      return settle(w, 'stepMs', performance.now(), end, runner.applyInput(session, ...rest));
    },
    show(state, session, notice) {
      const w = watching.ofSession(session);
      if (!w) return runner.show(state, session, notice);
      const end = w.tracker.phase?.('step');
      const t0 = performance.now();
      try {
        const out = runner.show(state, session, notice);
        end?.();
        return out;
      } catch (err) {
        end?.(err);
        throw err;
      } finally {
        w.stepMs += performance.now() - t0;
      }
    },
    render: runner.render,
  };
}

/** The report of a finished observed turn. */
export function reportOf(w: Watch, outcome: TurnOutcome, type: 'CON' | 'END'): TurnReport {
  const now = performance.now();
  const failed = outcome === 'error' || outcome === 'timeout' || outcome === 'busy';
  const s = w.start;
  return {
    gateway: s.gateway,
    menuId: s.menuId,
    menuVersion: s.menuVersion,
    sessionId: s.sessionId,
    requestId: s.requestId,
    outcome,
    type,
    screenBefore: w.screenBefore,
    // A failed turn stays, for the funnel, on the screen it failed from.
    screenAfter: failed ? w.screenBefore : w.screenAfter,
    durationMs: now - w.started,
    lockWaitMs: (w.lockedAt ?? now) - w.started,
    storeMs: w.storeMs,
    stepMs: w.stepMs,
  };
}
