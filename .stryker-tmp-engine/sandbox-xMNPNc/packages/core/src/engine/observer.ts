// @ts-nocheck
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

/** Per-turn timings, gathered by the wrapped repository and runner of one observed turn. */
export interface TurnClock {
  started: number;
  lockedAt: number | undefined;
  storeMs: number;
  stepMs: number;
  screenBefore: string | undefined;
  screenAfter: string | undefined;
  released: boolean;
}

export function startClock(): TurnClock {
  return {
    started: performance.now(),
    lockedAt: undefined,
    storeMs: 0,
    stepMs: 0,
    screenBefore: undefined,
    screenAfter: undefined,
    released: false,
  };
}

/** Times `fn` into `clock[field]` and reports it as a phase. */
async function timed<T>(
  clock: TurnClock,
  field: 'storeMs' | 'stepMs',
  tracker: TurnTracker,
  name: TurnPhase,
  fn: () => Promise<T>,
): Promise<T> {
  const end = tracker.phase?.(name);
  const t0 = performance.now();
  try {
    const out = await fn();
    end?.();
    return out;
  } catch (err) {
    end?.(err);
    throw err;
  } finally {
    clock[field] += performance.now() - t0;
  }
}

function timedSync<T>(clock: TurnClock, tracker: TurnTracker, fn: () => T): T {
  const end = tracker.phase?.('step');
  const t0 = performance.now();
  try {
    const out = fn();
    end?.();
    return out;
  } catch (err) {
    end?.(err);
    throw err;
  } finally {
    clock.stepMs += performance.now() - t0;
  }
}

/** The session repository of one observed turn: same behaviour, every store call timed, screens noted. */
export function observedRepository(repo: SessionRepository, clock: TurnClock, tracker: TurnTracker): SessionRepository {
  return {
    ...repo,
    async load(key) {
      const loaded = await timed(clock, 'storeMs', tracker, 'load', () => repo.load(key));
      if (loaded.kind === 'ok') clock.screenBefore = clock.screenAfter = screenName(loaded.envelope.snapshot.value);
      return loaded;
    },
    async commit(key, envelope, ...rest) {
      clock.screenAfter = envelope.resume ? 'resume' : screenName(envelope.snapshot.value);
      return timed(clock, 'storeMs', tracker, 'commit', () => repo.commit(key, envelope, ...rest));
    },
    async forget(key) {
      clock.released = true;
      clock.screenAfter = undefined;
      return timed(clock, 'storeMs', tracker, 'commit', () => repo.forget(key));
    },
    takeResumePoint(phone) {
      return timed(clock, 'storeMs', tracker, 'resume', () => repo.takeResumePoint(phone));
    },
  };
}

/** The machine runner of one observed turn: every machine run timed as a step. */
export function observedRunner(runner: MachineRunner, clock: TurnClock, tracker: TurnTracker): MachineRunner {
  return {
    start: (...args) => timed(clock, 'stepMs', tracker, 'step', () => runner.start(...args)),
    applyInput: (...args) => timed(clock, 'stepMs', tracker, 'step', () => runner.applyInput(...args)),
    show: (...args) => timedSync(clock, tracker, () => runner.show(...args)),
    render: runner.render,
  };
}

/** The report of a finished observed turn. */
export function reportOf(start: TurnStart, clock: TurnClock, outcome: TurnOutcome, type: 'CON' | 'END'): TurnReport {
  const now = performance.now();
  const failed = outcome === 'error' || outcome === 'timeout' || outcome === 'busy';
  return {
    ...start,
    outcome,
    type,
    screenBefore: clock.screenBefore,
    // A failed turn stays, for the funnel, on the screen it failed from.
    screenAfter: failed ? clock.screenBefore : clock.screenAfter,
    durationMs: now - clock.started,
    lockWaitMs: (clock.lockedAt ?? now) - clock.started,
    storeMs: clock.storeMs,
    stepMs: clock.stepMs,
  };
}
