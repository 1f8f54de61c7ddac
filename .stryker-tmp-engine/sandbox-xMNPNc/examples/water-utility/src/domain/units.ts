// @ts-nocheck
// Money is stored in integer cents and volumes in integer litres so that sums never drift; the rest of the code
// reads KES and m³.

export const toCents = (kes: number): number => Math.round(kes * 100);
export const fromCents = (cents: number): number => cents / 100;
export const toLitres = (m3: number): number => Math.round(m3 * 1000);
export const fromLitres = (litres: number): number => litres / 1000;

/** `1234.5` -> `1,234.50`; whole amounts drop the decimals: `984` -> `984`. */
export function formatKes(kes: number): string {
  const cents = toCents(kes);
  const whole = Math.trunc(Math.abs(cents) / 100).toLocaleString('en-US');
  const fraction = Math.abs(cents) % 100;
  const sign = cents < 0 ? '-' : '';
  return fraction === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(fraction).padStart(2, '0')}`;
}

/** m³ with at most one decimal, trailing zero dropped: `12.345` -> `12.3`, `7` -> `7`. */
export function formatM3(m3: number): string {
  const rounded = Math.round(m3 * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** What a set of bills still owes, summed in cents so it never drifts. */
export const totalBalance = (bills: readonly { balance: number }[]): number =>
  fromCents(bills.reduce((sum, b) => sum + toCents(b.balance), 0));
