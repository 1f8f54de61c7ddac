import { describe, expect, it } from 'vitest';
import { UssdError } from '../errors.js';
import { firstScreen, type History, previousScreen, pushScreen, rebaseHistory } from './history.js';
import { outcomeOfError, outcomeOfPlan } from './outcome.js';

const screen = (value: string, step: number) => ({ status: 'active', value, context: { step } });

describe('screen history', () => {
  it('is empty at first: no previous and no first screen', () => {
    expect(previousScreen([], screen('home', 0))).toBeUndefined();
    expect(firstScreen([], screen('home', 0))).toBeUndefined();
  });

  it('goes back one screen at a time and home to the oldest kept', () => {
    const a = screen('a', 1);
    const b = screen('b', 2);
    const c = screen('c', 3);
    let h: History = pushScreen([], a, b, 10);
    h = pushScreen(h, b, c, 10);
    expect(h).toHaveLength(2);
    expect(previousScreen(h, c)).toEqual({ status: 'active', value: 'b', context: { step: 2 } });
    expect(previousScreen(h.slice(0, -1), b)).toEqual({ status: 'active', value: 'a', context: { step: 1 } });
    expect(firstScreen(h, c)).toEqual({ status: 'active', value: 'a', context: { step: 1 } });
  });

  it('keeps only the newest entries up to its depth', () => {
    const screens = [screen('a', 1), screen('b', 2), screen('c', 3), screen('d', 4)];
    let h: History = [];
    for (let i = 1; i < screens.length; i++) h = pushScreen(h, screens[i - 1]!, screens[i]!, 2);
    expect(h).toHaveLength(2);
    // The oldest kept is `b`: `a` fell off.
    expect(firstScreen(h, screens[3]!)).toEqual({ status: 'active', value: 'b', context: { step: 2 } });
    expect(pushScreen([], screens[0]!, screens[1]!, 1)).toHaveLength(1);
    expect(pushScreen(pushScreen([], screens[0]!, screens[1]!, 1), screens[1]!, screens[2]!, 1)).toHaveLength(1);
  });

  it('follows a re-prompt: the screen before still comes back as it was', () => {
    const a = screen('a', 1);
    const b = screen('b', 2);
    const h = pushScreen([], a, b, 10);
    const bAgain = { status: 'active', value: 'b', context: { step: 2, tries: 1 } };
    const rebased = rebaseHistory(h, b, bAgain);
    expect(rebased).toHaveLength(1);
    expect(previousScreen(rebased, bAgain)).toEqual({ status: 'active', value: 'a', context: { step: 1 } });
    // Without the rebase the old entry would not lead back to `a` from the changed screen.
    expect(previousScreen(h, bAgain)).not.toEqual(a);
  });

  it('leaves an empty history, and one whose screen did not change, as it is', () => {
    const b = screen('b', 2);
    const empty: History = [];
    expect(rebaseHistory(empty, b, screen('b', 3))).toBe(empty);
    const h = pushScreen([], screen('a', 1), b, 10);
    expect(rebaseHistory(h, b, b)).toBe(h);
  });

  it('rebases only the newest entry', () => {
    const a = screen('a', 1);
    const b = screen('b', 2);
    const c = screen('c', 3);
    const h = pushScreen(pushScreen([], a, b, 10), b, c, 10);
    const cAgain = screen('c', 4);
    const rebased = rebaseHistory(h, c, cAgain);
    expect(rebased[0]).toBe(h[0]);
    expect(firstScreen(rebased, cAgain)).toEqual(a);
  });
});

describe('turn outcomes', () => {
  it('name replays, stale hops and capped requests, and everything else that went to plan ok', () => {
    expect(outcomeOfPlan('replay')).toBe('replay');
    expect(outcomeOfPlan('stale')).toBe('stale');
    expect(outcomeOfPlan('capped')).toBe('capped');
    expect(outcomeOfPlan('apply')).toBe('ok');
    expect(outcomeOfPlan('start')).toBe('ok');
    expect(outcomeOfPlan('release')).toBe('ok');
    expect(outcomeOfPlan('resume-answer')).toBe('ok');
  });

  it('tell a busy session and a timeout from other failures', () => {
    expect(outcomeOfError(new UssdError('SESSION_BUSY', 'x'))).toBe('busy');
    expect(outcomeOfError(new UssdError('TURN_TIMEOUT', 'x'))).toBe('timeout');
    expect(outcomeOfError(new UssdError('MENU_RUNTIME', 'x'))).toBe('error');
    expect(outcomeOfError(new Error('x'))).toBe('error');
  });
});
