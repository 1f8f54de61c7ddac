import { describe, expect, it } from 'vitest';
import { addDays, isPeriod, localDate, localMidnight, periodBounds, periodOf, shiftPeriod } from './periods.js';

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

  it('accepts months 01 to 12 with a four-digit year only', () => {
    expect(['2026-01', '2026-09', '2026-10', '2026-12'].map(isPeriod)).toEqual([true, true, true, true]);
    expect(['2026-00', '2026-13', '2026-1', '26-11', '2026-11-01', 'x2026-11', '2026-11x'].some(isPeriod)).toBe(false);
  });

  it('refuses to shift what is not a period', () => {
    expect(() => shiftPeriod('2026-13', 1)).toThrow(new RangeError('not a period: 2026-13'));
  });

  it('shifts by zero and by whole years', () => {
    expect(shiftPeriod('2026-11', 0)).toBe('2026-11');
    expect(shiftPeriod('2026-11', 12)).toBe('2027-11');
    expect(shiftPeriod('2026-11', 1)).toBe('2026-12');
  });

  it('adds days across a month and a leap day', () => {
    expect(addDays('2026-11-30', 14)).toBe('2026-12-14');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });

  it('midnight in Nairobi is 21:00 UTC the day before', () => {
    expect(localMidnight('2027-01-01').toISOString()).toBe('2026-12-31T21:00:00.000Z');
  });

  it('December runs to the first of January, a leap February to the 29th', () => {
    expect(periodBounds('2026-12')).toEqual({
      period: '2026-12',
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      start: '2026-11-30T21:00:00.000Z',
      end: '2026-12-31T21:00:00.000Z',
    });
    expect(periodBounds('2028-02').endDate).toBe('2028-02-29');
  });
});
