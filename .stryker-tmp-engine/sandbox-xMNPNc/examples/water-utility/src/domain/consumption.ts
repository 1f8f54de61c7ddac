// @ts-nocheck
import { type Brand, consumptionStatement } from './messages.js';
import type { Language } from './model.js';
import { localDate, periodBounds, periodOf, shiftPeriod } from './periods.js';
import type { Repositories } from './ports.js';
import { fromLitres, toLitres, totalBalance } from './units.js';
import { accountUsage } from './usage.js';

export interface Consumption {
  account: string;
  /** Current billing period, `YYYY-MM`. */
  period: string;
  periodStart: string;
  /** m³ used since the start of the current period, up to the last reading. */
  used: number;
  /** Cumulative register of the latest reading (summed over the account's meters). */
  lastReading: { value: number; at: string; date: string } | null;
  previousPeriod: string;
  /** m³ used in the previous period; null without readings for it. */
  previousUse: number | null;
  /** m³ per day over the days of this period covered by readings. */
  dailyAverage: number;
  /** Sum of unpaid bill balances, KES. */
  balance: number;
}

export interface ConsumptionServiceOptions {
  repos: Repositories;
  brand: Brand;
  now?: (() => Date) | undefined;
}

const DAY_MS = 86_400_000;

export function createConsumptionService(options: ConsumptionServiceOptions) {
  const { repos, brand } = options;
  const now = options.now ?? (() => new Date());

  /** Null when the account does not exist. */
  async function getConsumption(account: string): Promise<Consumption | null> {
    const acct = await repos.accounts.get(account);
    if (!acct) return null;
    const at = now();
    const period = periodOf(at);
    const current = periodBounds(period);
    const previousPeriod = shiftPeriod(period, -1);
    const previous = periodBounds(previousPeriod);
    const [thisUse, prevUse, unpaid] = await Promise.all([
      accountUsage(repos, account, current.start, at.toISOString()),
      accountUsage(repos, account, previous.start, previous.end),
      repos.bills.unpaidForAccount(account),
    ]);
    let lastReading: Consumption['lastReading'] = null;
    if (thisUse) {
      lastReading = { value: thisUse.closing, at: thisUse.lastAt, date: localDate(new Date(thisUse.lastAt)) };
    } else {
      // No reading this period yet: still show the latest register the meters have.
      let total = 0;
      let lastAt = '';
      for (const meter of await repos.meters.forAccount(account)) {
        const r = await repos.readings.latest(meter.id);
        if (!r) continue;
        total += toLitres(r.value);
        if (r.at > lastAt) lastAt = r.at;
      }
      if (lastAt) lastReading = { value: fromLitres(total), at: lastAt, date: localDate(new Date(lastAt)) };
    }
    const used = thisUse?.used ?? 0;
    const covered = thisUse ? (Date.parse(thisUse.lastAt) - Date.parse(current.start)) / DAY_MS : 0;
    const dailyAverage = covered > 0 ? Math.round((used / Math.max(1, covered)) * 1000) / 1000 : 0;
    return {
      account,
      period,
      periodStart: current.startDate,
      used,
      lastReading,
      previousPeriod,
      previousUse: prevUse?.used ?? null,
      dailyAverage,
      balance: totalBalance(unpaid),
    };
  }

  /** The statement SMS for an account in the given language; null when the account does not exist. */
  async function statementText(account: string, lang: Language): Promise<string | null> {
    const c = await getConsumption(account);
    if (!c) return null;
    return consumptionStatement(lang, brand, {
      account: c.account,
      period: c.period,
      used: c.used,
      dailyAverage: c.dailyAverage,
      lastReading: c.lastReading?.value ?? null,
      lastReadingDate: c.lastReading?.date ?? null,
      previousPeriod: c.previousPeriod,
      previousUse: c.previousUse,
      balance: c.balance,
    });
  }

  return { getConsumption, statementText };
}

export type ConsumptionService = ReturnType<typeof createConsumptionService>;
