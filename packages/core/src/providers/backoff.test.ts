import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, sleep } from './backoff.js';

describe('backoffDelay', () => {
  const plain = { baseMs: 100, factor: 2, maxMs: 1_000, jitter: false };

  it('doubles from the base per attempt and stops growing at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, plain))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('grows by the given factor', () => {
    const triple = { baseMs: 10, factor: 3, maxMs: 100_000, jitter: false };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, triple))).toEqual([10, 30, 90, 270]);
  });

  it('treats attempt 0 and below as the first retry', () => {
    expect(backoffDelay(0, plain)).toBe(100);
    expect(backoffDelay(-3, plain)).toBe(100);
  });

  it('never waits less than 1 ms, and rounds to whole milliseconds', () => {
    expect(backoffDelay(1, { baseMs: 0, factor: 2, maxMs: 0, jitter: false })).toBe(1);
    expect(backoffDelay(1, { baseMs: 0.4, factor: 2, maxMs: 10, jitter: false })).toBe(1);
    expect(backoffDelay(1, { baseMs: 2.5, factor: 2, maxMs: 10, jitter: false })).toBe(3);
    expect(backoffDelay(2, { baseMs: 2.2, factor: 2, maxMs: 10, jitter: false })).toBe(4);
  });

  it('with jitter lands between half and all of the delay, as the random draw says', () => {
    const jittered = { baseMs: 1_000, factor: 2, maxMs: 60_000, jitter: true };
    expect(backoffDelay(1, jittered, () => 0)).toBe(500);
    expect(backoffDelay(1, jittered, () => 0.5)).toBe(750);
    expect(backoffDelay(1, jittered, () => 0.999)).toBe(1_000);
    expect(backoffDelay(3, jittered, () => 0.25)).toBe(2_500);
  });

  it('applies jitter to the capped delay', () => {
    const jittered = { baseMs: 1_000, factor: 10, maxMs: 5_000, jitter: true };
    expect(backoffDelay(4, jittered, () => 0)).toBe(2_500);
    expect(backoffDelay(4, jittered, () => 0.999)).toBe(4_998);
  });

  it('ignores the random draw without jitter', () => {
    expect(backoffDelay(2, plain, () => 0)).toBe(200);
  });

  it('draws from Math.random by default', () => {
    const jittered = { baseMs: 1_000, factor: 2, maxMs: 60_000, jitter: true };
    const spy = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      expect(backoffDelay(1, jittered)).toBe(750);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves once the time has passed, not before', async () => {
    vi.useFakeTimers();
    let done = false;
    const waiting = sleep(1_000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
  });

  it('rejects at once with the reason of a signal that has already aborted', async () => {
    vi.useFakeTimers();
    const reason = new Error('caller gave up');
    await expect(sleep(1_000, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the reason as soon as the signal aborts, and clears its timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(1_000, controller.signal);
    const outcome = waiting.then(
      () => 'resolved',
      (err: unknown) => err,
    );
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops listening to the signal once it has resolved', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const waiting = sleep(50, controller.signal);
    await vi.advanceTimersByTimeAsync(50);
    await waiting;
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
    controller.abort(new Error('late'));
  });
});
