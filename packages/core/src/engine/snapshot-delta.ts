import { type AnyStateMachine, createActor } from 'xstate';
import type { SessionInfo } from '../menu/text.js';
import { applyJsonDelta, isJsonRecord, type JsonDelta, jsonDelta } from './json-delta.js';

/** XState's persisted snapshot of a machine resting on a screen (JSON). */
export type PersistedSnapshot = Record<string, unknown>;

/**
 * A snapshot written as its difference from another one: `[state value, context changes, other changes]`, the
 * last two left off when empty. Moving between screens changes the state value and a field or two of the context,
 * so this is a few bytes where the snapshot itself is hundreds.
 */
export type ScreenDelta = [value: unknown, context?: JsonDelta, rest?: JsonDelta];

const VALUE_AND_CONTEXT: ReadonlySet<string> = new Set(['value', 'context']);

/** `target` as its difference from `from`. */
export function deltaOf(target: PersistedSnapshot, from: PersistedSnapshot): ScreenDelta {
  const context = jsonDelta(from.context, target.context);
  const rest = jsonDelta(from, target, VALUE_AND_CONTEXT);
  const hasRest = !isEmpty(rest);
  if (hasRest) return [target.value, context, rest];
  return isEmpty(context) ? [target.value] : [target.value, context];
}

/** The snapshot `delta` describes, rebuilt from the one it was taken against. */
export function applyDelta(from: PersistedSnapshot, delta: ScreenDelta): PersistedSnapshot {
  const [value, context, rest] = delta;
  const base = rest && !isEmpty(rest) ? applyJsonDelta(from, rest) : from;
  const out: PersistedSnapshot = { ...(isJsonRecord(base) ? base : {}), value };
  const restored = context && !isEmpty(context) ? applyJsonDelta(from.context, context) : from.context;
  if (restored === undefined) delete out.context;
  else out.context = restored;
  return out;
}

export interface SnapshotBase {
  snapshot: PersistedSnapshot;
  /** A copy of `snapshot` of the caller's own: restored contexts reach menu code, which must not share them. */
  fresh: () => PersistedSnapshot;
}

/**
 * What a resting snapshot of `machine` looks like before any screen: active, no state history, no children, and
 * the machine's initial context without a session. A stored snapshot is its difference from this base, so the
 * context fields still at their defaults cost nothing. The context is taken only when the machine computes it the
 * same twice: one read from a clock or a random source would differ between nodes, and a snapshot written
 * against one base must be read against the same one.
 */
export function snapshotBase(machine: AnyStateMachine): SnapshotBase {
  const first = initialContextJson(machine);
  const context = first !== undefined && initialContextJson(machine) === first ? first : undefined;
  const json = `{"status":"active","historyValue":{},"children":{}${context === undefined ? '' : `,"context":${context}`}}`;
  return { snapshot: JSON.parse(json) as PersistedSnapshot, fresh: () => JSON.parse(json) as PersistedSnapshot };
}

/** A session with every field empty: the base is computed before any customer dials. */
const NO_SESSION: SessionInfo = { sessionId: '', phoneNumber: '', serviceCode: '', provider: '' };

function initialContextJson(machine: AnyStateMachine): string | undefined {
  try {
    // Created, never started: no entry action, step or timer runs.
    const snapshot = createActor(machine, { input: { session: NO_SESSION } }).getSnapshot();
    if (snapshot.status !== 'active') return undefined;
    return JSON.stringify(withoutSession({ context: snapshot.context }).context);
  } catch {
    return undefined;
  }
}

/**
 * The session (phone, ids, network) is handed to the machine on every turn, not saved with it: a snapshot is
 * stored with `context.session` null and gets the current session back when it is restored.
 */
export function withoutSession(snapshot: PersistedSnapshot): PersistedSnapshot {
  const context = snapshot.context as Record<string, unknown> | undefined;
  if (!context || typeof context !== 'object' || !('session' in context) || context.session === null) return snapshot;
  return { ...snapshot, context: { ...context, session: null } };
}

/** A stored snapshot with this turn's session in its context (see {@link withoutSession}). */
export function withSession(snapshot: PersistedSnapshot, session: unknown): PersistedSnapshot {
  const context = snapshot.context as Record<string, unknown> | undefined;
  if (!context || typeof context !== 'object' || !('session' in context)) return snapshot;
  return { ...snapshot, context: { ...context, session } };
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
