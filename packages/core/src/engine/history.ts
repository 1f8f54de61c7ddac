import { applyDelta, deltaOf, type PersistedSnapshot, type ScreenDelta } from './snapshot-delta.js';

/**
 * Earlier screens for `0` back, newest last. Each entry is that screen's snapshot as its difference from the
 * screen after it (the current one for the newest), so going back applies the newest entry to the current
 * snapshot, and home applies all of them in turn. Every snapshot here is without the session.
 */
export type History = ScreenDelta[];

/** After a move from `left` to `current`: `left` joins the history, which keeps its newest `depth` entries. */
export function pushScreen(history: History, left: PersistedSnapshot, current: PersistedSnapshot, depth: number) {
  const next = [...history, deltaOf(left, current)];
  return next.length > depth ? next.slice(next.length - depth) : next;
}

/** After a turn that stayed on its screen but changed its snapshot (a re-prompt): the newest entry follows. */
export function rebaseHistory(history: History, before: PersistedSnapshot, after: PersistedSnapshot): History {
  const newest = history[history.length - 1];
  if (!newest || before === after) return history;
  return [...history.slice(0, -1), deltaOf(applyDelta(before, newest), after)];
}

/** The screen before `current`, if any. */
export function previousScreen(history: History, current: PersistedSnapshot): PersistedSnapshot | undefined {
  const newest = history[history.length - 1];
  return newest ? applyDelta(current, newest) : undefined;
}

/** The oldest screen kept, if any. */
export function firstScreen(history: History, current: PersistedSnapshot): PersistedSnapshot | undefined {
  if (history.length === 0) return undefined;
  let snapshot = current;
  for (let i = history.length - 1; i >= 0; i--) snapshot = applyDelta(snapshot, history[i] as ScreenDelta);
  return snapshot;
}
