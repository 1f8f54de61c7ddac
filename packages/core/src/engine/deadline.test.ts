import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMenu } from '../menu/dsl.js';
import { ussdTester } from '../testing/tester.js';
import { silentLogger } from '../util/logger.js';
import { createUssdApp, type UssdAppOptions } from './app.js';

const m = createMenu<{ done?: boolean }>();
// A step that answers only when its signal is aborted: the turn deadline is all that ends it.
const menu = m.define({
  id: 'deadline',
  version: 1,
  initialContext: () => ({}),
  start: 'home',
  screens: {
    home: m.menu({ text: 'Home', options: [{ label: 'Wait', next: 'wait' }] }),
    wait: m.step({
      run: (_c, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      targets: ['home'],
    }),
  },
});

async function pending(options: Partial<UssdAppOptions<unknown>>) {
  const app = createUssdApp({ menu, logger: silentLogger, ...options });
  const s = ussdTester(app).session();
  await s.dial();
  let settled = false;
  const answer = s.input('1').finally(() => {
    settled = true;
  });
  return { answer, settled: () => settled };
}

describe('the turn deadline', () => {
  afterEach(() => vi.useRealTimers());

  it('is 8 seconds by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const turn = await pending({});
    await vi.advanceTimersByTimeAsync(7_990);
    expect(turn.settled()).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(turn.settled()).toBe(true);
    const r = await turn.answer;
    expect(r.type).toBe('END');
    expect(r.text).toBe('Sorry, this is taking too long. Please dial again shortly.');
  });

  it('follows turnTimeoutMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const turn = await pending({ turnTimeoutMs: 2_000 });
    await vi.advanceTimersByTimeAsync(1_990);
    expect(turn.settled()).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect((await turn.answer).text).toMatch(/taking too long/);
  });
});
