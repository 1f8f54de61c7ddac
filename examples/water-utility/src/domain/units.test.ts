import { describe, expect, it } from 'vitest';
import { formatKes, formatM3, fromCents, fromLitres, toCents, toLitres, totalBalance } from './units.js';

describe('units', () => {
  it('converts to whole cents and litres, rounding', () => {
    expect(toCents(0.105)).toBe(11);
    expect(toCents(12.344)).toBe(1234);
    expect(fromCents(1234)).toBe(12.34);
    expect(toLitres(1.0005)).toBe(1001);
    expect(fromLitres(1500)).toBe(1.5);
  });

  it('writes shillings with thousands separators and two decimals only when needed', () => {
    expect(formatKes(1234.5)).toBe('1,234.50');
    expect(formatKes(984)).toBe('984');
    expect(formatKes(0.05)).toBe('0.05');
    expect(formatKes(1_000_000)).toBe('1,000,000');
    expect(formatKes(-1234.5)).toBe('-1,234.50');
    expect(formatKes(-7)).toBe('-7');
    expect(formatKes(0)).toBe('0');
  });

  it('writes m3 with at most one decimal', () => {
    expect(formatM3(12.345)).toBe('12.3');
    expect(formatM3(12.35)).toBe('12.4');
    expect(formatM3(7)).toBe('7');
    expect(formatM3(6.96)).toBe('7');
    expect(formatM3(0.04)).toBe('0');
  });

  it('sums balances without drift', () => {
    expect(totalBalance([{ balance: 0.1 }, { balance: 0.2 }])).toBe(0.3);
    expect(totalBalance([])).toBe(0);
  });
});
