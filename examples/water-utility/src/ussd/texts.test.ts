import { describe, expect, it } from 'vitest';
import { usageScreen } from './texts.js';

const view = {
  period: '2026-12',
  used: 0,
  lastReading: { value: 812.4, date: '2026-12-01' },
  previousPeriod: '2026-11',
  previousUse: 13.5,
  dailyAverage: 0,
};

describe('usageScreen', () => {
  it('on the first day of a period leads with the last full period, not 0 m3', () => {
    const text = usageScreen({ ...view, periodJustStarted: true }, '1001', 'en');
    const [first] = text.split('\n');
    expect(first).toContain('13.5 m3');
    expect(first).not.toContain('0 m3');
    expect(text).not.toMatch(/Daily avg/);
  });

  it('otherwise leads with the current period so far', () => {
    const text = usageScreen({ ...view, used: 4.2, dailyAverage: 0.42, periodJustStarted: false }, '1001', 'en');
    expect(text.split('\n')[0]).toContain('4.2 m3');
    expect(text).toContain('13.5 m3');
  });
});
