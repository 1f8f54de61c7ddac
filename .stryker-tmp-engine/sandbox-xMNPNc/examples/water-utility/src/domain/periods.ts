// @ts-nocheck
// Billing periods are calendar months in East Africa Time (UTC+3 all year, no daylight saving), so a reading
// at 01:00 on the 1st in Nairobi belongs to the new month even though it is still the previous day in UTC.
export const UTC_OFFSET_MINUTES = 180;
const OFFSET_MS = UTC_OFFSET_MINUTES * 60_000;

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isPeriod = (value: string): boolean => PERIOD_RE.test(value);

const pad = (n: number) => String(n).padStart(2, '0');

/** Local calendar date (`YYYY-MM-DD`) of an instant. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The billing period (`YYYY-MM`) an instant falls in. */
export function periodOf(at: Date): string {
  return localDate(at).slice(0, 7);
}

/** Midnight local time at the start of a local date, as a UTC instant. */
export function localMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - OFFSET_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function shiftPeriod(period: string, months: number): string {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new RangeError(`not a period: ${period}`);
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

export interface PeriodBounds {
  period: string;
  /** First local day, `YYYY-MM-01`. */
  startDate: string;
  /** Last local day, inclusive. */
  endDate: string;
  /** Instant the period starts (ISO, UTC). */
  start: string;
  /** Instant the next period starts (ISO, UTC): the period is `start <= t < end`. */
  end: string;
}

export function periodBounds(period: string): PeriodBounds {
  const startDate = `${period}-01`;
  const nextStartDate = `${shiftPeriod(period, 1)}-01`;
  return {
    period,
    startDate,
    endDate: addDays(nextStartDate, -1),
    start: localMidnight(startDate).toISOString(),
    end: localMidnight(nextStartDate).toISOString(),
  };
}
