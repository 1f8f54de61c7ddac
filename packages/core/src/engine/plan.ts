import type { LatestInputTurn, PathTurn, UssdTurn } from '../gateways/turn.js';
import type { Envelope, LoadResult } from './envelope.js';

/** Bounds on the work one request may ask for. */
export interface TurnLimits {
  /** Inputs a new session's deep dial may carry. Default 10. */
  maxDeepDialInputs: number;
  /** Characters of a session's input path. Default 1,000. */
  maxPathChars: number;
}

export const defaultTurnLimits: TurnLimits = { maxDeepDialInputs: 10, maxPathChars: 1000 };

/** What a turn will do, decided from the request and the saved session alone, before anything runs. */
export type Plan =
  /** The gateway says the customer left: forget the session. */
  | { kind: 'release' }
  /** The request asks for more work than the limits allow: a polite END, nothing read or written. */
  | { kind: 'capped' }
  /** A retry of the last applied hop, or anything after END: answer what was answered. */
  | { kind: 'replay'; body: string }
  /** An earlier or a competing hop: answer what it got, else the current screen; never a step, never a write. */
  | { kind: 'stale'; body: string }
  /** The answer to "continue where you left off". */
  | { kind: 'resume-answer'; envelope: Envelope; input: string; path: string }
  /** One new input on the saved session. */
  | { kind: 'apply'; envelope: Envelope; input: string; path: string }
  /** A session from its first screen, then its deep-dial inputs in order. */
  | {
      kind: 'start';
      inputs: string[];
      path: string;
      /** The saved session could not be used: say so above the first screen. */
      restarted: boolean;
      /** A plain dial with nothing saved: offer the phone's resume point, if any. */
      offerResume: boolean;
    };

/** How a request relates to the saved session. */
export type HopRelation = 'new' | 'retry' | 'stale';

/**
 * When a request arrived, and how long after a hop's answer an identical input still counts as a retry of it, on
 * gateways that send neither the path nor a hop number.
 */
export interface RetryWindow {
  at: number;
  windowMs: number;
}

/**
 * One rule per gateway kind. Path gateways: a path equal to the transcript is a retry, one extending it is new,
 * anything else is stale. Latest-input gateways: a re-sent opening request is a retry; with hop numbers, the last
 * applied number is a retry and a lower one stale. Without hop numbers (Arkesel, Nalo) the request is all there
 * is: the last applied input again, arriving before its answer or within the window after it, is a retry (a
 * person needs longer than the window to see the next screen and press a key); every other request is new.
 */
export const hopRules: {
  path: (turn: PathTurn, saved: Envelope) => HopRelation;
  latest: (turn: LatestInputTurn, saved: Envelope, retry: RetryWindow) => HopRelation;
} = {
  path(turn, saved) {
    if (turn.path === saved.transcript) return 'retry';
    if (saved.transcript === '' || turn.path.startsWith(`${saved.transcript}*`)) return 'new';
    return 'stale';
  },
  latest(turn, saved, retry) {
    if (turn.isNew === true) return 'retry';
    if (turn.hop !== undefined && saved.hop !== undefined && turn.hop <= saved.hop) {
      return turn.hop === saved.hop ? 'retry' : 'stale';
    }
    if (turn.hop === undefined && turn.input === saved.input && retry.at - saved.updatedAt <= retry.windowMs) {
      return 'retry';
    }
    return 'new';
  },
};

/**
 * The hop a stale request repeats, as `Envelope.earlier` keys it: the gateway's hop number, or on path gateways
 * the number of inputs in the path when it is one the session went through (a prefix of the transcript);
 * undefined otherwise.
 */
export function hopOf(turn: UssdTurn, transcript: string): number | undefined {
  if (turn.kind === 'latest') return turn.hop;
  const wentThrough = turn.path === '' || transcript.startsWith(`${turn.path}*`);
  return wentThrough ? pathHop(turn.path) : undefined;
}

/** A path gateway's hop number: the number of inputs in its path (the dial is 0). */
export function pathHop(path: string): number {
  return countInputs(path, Number.POSITIVE_INFINITY);
}

export function plan(turn: UssdTurn, saved: LoadResult, limits: TurnLimits, retry: RetryWindow): Plan {
  if (turn.release) return { kind: 'release' };
  if (turn.kind === 'path' && turn.path.length > limits.maxPathChars) return { kind: 'capped' };

  if (saved.kind === 'ok') {
    const env = saved.envelope;
    const relation = turn.kind === 'path' ? hopRules.path(turn, env) : hopRules.latest(turn, env, retry);
    if (relation === 'retry' || env.ended) return { kind: 'replay', body: env.lastReply };
    if (relation === 'stale') {
      const hop = hopOf(turn, env.transcript);
      const earlier = hop === undefined ? undefined : env.earlier?.find(([h]) => h === hop)?.[1];
      return { kind: 'stale', body: earlier ?? env.lastReply };
    }
    const input =
      turn.kind === 'latest'
        ? turn.input
        : env.transcript === ''
          ? turn.path
          : turn.path.slice(env.transcript.length + 1);
    const path =
      turn.kind === 'path' ? turn.path : env.transcript === '' ? turn.input : `${env.transcript}*${turn.input}`;
    if (path.length > limits.maxPathChars) return { kind: 'capped' };
    return env.resume
      ? { kind: 'resume-answer', envelope: env, input, path }
      : { kind: 'apply', envelope: env, input, path };
  }

  // Nothing usable saved. A latest-input gateway's first request carries deep-dial extras; a later one whose
  // session is gone (released, expired) starts at home rather than applying its input there. A session whose
  // saved state is unusable restarts at home, keeping the gateway's path so its next hop extends it.
  const path = turn.kind === 'path' ? turn.path : turn.isNew === false ? '' : turn.input;
  if (path.length > limits.maxPathChars) return { kind: 'capped' };
  const deepDial = saved.kind === 'none' && path !== '';
  if (deepDial && countInputs(path, limits.maxDeepDialInputs) > limits.maxDeepDialInputs) return { kind: 'capped' };
  return {
    kind: 'start',
    inputs: deepDial ? path.split('*') : [],
    path,
    restarted: saved.kind === 'invalid',
    offerResume: saved.kind === 'none' && path === '',
  };
}

/** Inputs in a `*`-joined path, counted only up to one past `max` so a hostile path costs nothing more. */
function countInputs(path: string, max: number): number {
  if (path === '') return 0;
  let n = 1;
  for (let i = path.indexOf('*'); i !== -1 && n <= max; i = path.indexOf('*', i + 1)) n++;
  return n;
}
