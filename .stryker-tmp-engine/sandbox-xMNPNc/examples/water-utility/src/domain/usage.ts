// @ts-nocheck
import type { MeterReading } from './model.js';
import type { Repositories } from './ports.js';
import { fromLitres, toLitres } from './units.js';

export interface Usage {
  opening: MeterReading;
  closing: MeterReading;
  /** m³ between the two readings; a register that went backwards (meter swap) counts as 0. */
  used: number;
}

/**
 * Use of one meter over `[from, to]`, reading to reading: it opens on the last reading at or before `from` (or
 * the first one inside the window when the meter is newer) and closes on the last reading at or before `to`.
 * A reading exactly on a boundary closes one period and opens the next, so nothing is counted twice.
 */
export async function meterUsage(
  repos: Repositories,
  meterId: string,
  from: string,
  to: string,
): Promise<Usage | null> {
  const opening =
    (await repos.readings.latestAtOrBefore(meterId, from)) ?? (await repos.readings.earliestInRange(meterId, from, to));
  if (!opening) return null;
  const closing = await repos.readings.latestAtOrBefore(meterId, to);
  if (!closing || closing.at < opening.at) return null;
  return { opening, closing, used: fromLitres(Math.max(0, toLitres(closing.value) - toLitres(opening.value))) };
}

/** Sum over the account's active meters; null when none of them has a reading for the window. */
export async function accountUsage(
  repos: Repositories,
  account: string,
  from: string,
  to: string,
): Promise<{ used: number; opening: number; closing: number; lastAt: string } | null> {
  let found = false;
  let used = 0;
  let opening = 0;
  let closing = 0;
  let lastAt = '';
  for (const meter of await repos.meters.forAccount(account)) {
    const u = await meterUsage(repos, meter.id, from, to);
    if (!u) continue;
    found = true;
    used += toLitres(u.used);
    opening += toLitres(u.opening.value);
    closing += toLitres(u.closing.value);
    if (u.closing.at > lastAt) lastAt = u.closing.at;
  }
  return found ? { used: fromLitres(used), opening: fromLitres(opening), closing: fromLitres(closing), lastAt } : null;
}
