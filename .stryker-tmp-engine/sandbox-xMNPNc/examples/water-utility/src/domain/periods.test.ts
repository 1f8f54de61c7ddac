// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { localDate, periodBounds, periodOf, shiftPeriod } from './periods.js';

describe('billing periods (East Africa Time)', () => {
  it('puts an instant in its Nairobi month', () => {
    expect(periodOf(new Date('2026-10-31T20:59:59.999Z'))).toBe('2026-10');
    expect(periodOf(new Date('2026-10-31T21:00:00.000Z'))).toBe('2026-11');
    expect(localDate(new Date('2026-12-31T22:00:00.000Z'))).toBe('2027-01-01');
  });

  it('gives the bounds of a period', () => {
    expect(periodBounds('2026-02')).toEqual({
      period: '2026-02',
      startDate: '2026-02-01',
      endDate: '2026-02-28',
      start: '2026-01-31T21:00:00.000Z',
      end: '2026-02-28T21:00:00.000Z',
    });
    expect(periodBounds('2028-12').endDate).toBe('2028-12-31');
  });

  it('moves across years', () => {
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('2026-12', 1)).toBe('2027-01');
    expect(shiftPeriod('2026-11', -14)).toBe('2025-09');
  });
});
