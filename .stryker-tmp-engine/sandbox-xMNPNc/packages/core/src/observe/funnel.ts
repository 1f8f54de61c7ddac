// @ts-nocheck
import type { TurnObserver, TurnReport } from '../engine/observer.js';

/** Per screen: sessions that reached it, left there (hung up), timed out there, or ended there (an END screen). */
export interface FunnelCounts {
  reached: number;
  left: number;
  timedOut: number;
  ended: number;
}

export type FunnelStage = keyof FunnelCounts;

/** How a gateway says a session finished: Africa's Talking's end-of-session `status`. */
export type SessionEndStatus = 'Success' | 'Incomplete' | 'Failed';

export interface MenuFunnel {
  /** Pass as (or combine into) the app's `observer`: turns count where sessions arrive and end. */
  readonly observer: TurnObserver;
  /**
   * The gateway's end-of-session notice. `Incomplete` counts as left and `Failed` as timed out, on the screen the
   * session last rested on; `Success` was already counted by the END turn. `screen` is used when this process
   * did not serve the session's last turn (read it from the saved session).
   */
  sessionEnded(end: {
    sessionId: string;
    status: SessionEndStatus;
    screen?: string | undefined;
    /** The gateway codec's name. Default `africastalking`. */
    gateway?: string | undefined;
  }): void;
  /** Counts since the start, per screen name. */
  counts(): Map<string, FunnelCounts>;
}

/**
 * Counts, per screen, how far sessions got. Each session counts once per screen however often it returns; the
 * screens a session visited are kept for the `maxSessions` most recent sessions (default 50,000). Counts are per
 * process: export them as metrics (`prometheusFunnel`) to add them up across nodes.
 */
export function createMenuFunnel(o: { maxSessions?: number | undefined } = {}): MenuFunnel {
  const max = o.maxSessions ?? 50_000;
  const counts = new Map<string, FunnelCounts>();
  const sessions = new Map<string, { visited: Set<string>; last: string | undefined; over: boolean }>();

  const bump = (screen: string, stage: FunnelStage) => {
    let c = counts.get(screen);
    if (!c) {
      c = { reached: 0, left: 0, timedOut: 0, ended: 0 };
      counts.set(screen, c);
    }
    c[stage]++;
  };

  function record(r: TurnReport) {
    if (r.outcome !== 'ok' || r.screenAfter === undefined) return;
    const key = `${r.gateway}:${r.sessionId}`;
    let s = sessions.get(key);
    if (!s) {
      s = { visited: new Set(), last: undefined, over: false };
      sessions.set(key, s);
      if (sessions.size > max) sessions.delete(sessions.keys().next().value as string);
    }
    s.last = r.screenAfter;
    if (!s.visited.has(r.screenAfter)) {
      s.visited.add(r.screenAfter);
      bump(r.screenAfter, 'reached');
    }
    if (r.type === 'END' && !s.over) {
      s.over = true;
      bump(r.screenAfter, 'ended');
    }
  }

  return {
    observer: { begin: () => ({ end: record }) },
    sessionEnded(end) {
      const key = `${end.gateway ?? 'africastalking'}:${end.sessionId}`;
      const s = sessions.get(key);
      sessions.delete(key);
      if (end.status === 'Success' || s?.over) return;
      const screen = s?.last ?? end.screen;
      if (screen !== undefined) bump(screen, end.status === 'Incomplete' ? 'left' : 'timedOut');
    },
    counts: () => new Map([...counts].map(([k, v]) => [k, { ...v }])),
  };
}
