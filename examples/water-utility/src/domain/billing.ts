// Monthly billing from meter readings with an increasing-block tariff.
//
// The default tariff is illustrative, shaped like the domestic tariffs Kenyan water companies publish: a fixed
// monthly charge of KES 200, then per m³ KES 53 up to 6 m³, 69 from 6 to 20, 85 from 20 to 50 and 100 above 50.
// Set TARIFF to the utility's approved one. Each block charges only the m³ that fall inside it; the total is
// rounded to whole shillings because M-Pesa pays no cents.
import { z } from 'zod';
import { acquireJobLease, nodeName } from './job-lease.js';
import type { Bill } from './model.js';
import { addDays, isPeriod, periodBounds } from './periods.js';
import type { Repositories } from './ports.js';
import { fromCents, toCents } from './units.js';
import { accountUsage } from './usage.js';

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `required (${what})` : `must be ${what}`;

export const tariffSchema = z
  .object({
    currency: z.literal('KES').default('KES'),
    fixedCharge: z
      .number({ error: required('a number of KES') })
      .finite()
      .min(0),
    blocks: z
      .array(
        z.object({
          /** Upper bound of the block in m³; null for the last, open-ended block. */
          upTo: z.number().finite().positive().nullable(),
          /** KES per m³. */
          price: z
            .number({ error: required('KES per m3') })
            .finite()
            .min(0),
        }),
        { error: required('a list of { upTo, price }') },
      )
      .min(1),
  })
  .superRefine((t, ctx) => {
    let previous = 0;
    t.blocks.forEach((block, i) => {
      const last = i === t.blocks.length - 1;
      if (block.upTo === null && !last) {
        ctx.addIssue({ code: 'custom', path: ['blocks', i, 'upTo'], message: 'only the last block may be open-ended' });
      }
      if (block.upTo !== null && block.upTo <= previous) {
        ctx.addIssue({ code: 'custom', path: ['blocks', i, 'upTo'], message: 'block limits must increase' });
      }
      if (last && block.upTo !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['blocks', i, 'upTo'],
          message: 'the last block must be open-ended (null)',
        });
      }
      previous = block.upTo ?? previous;
    });
  });

export type Tariff = z.infer<typeof tariffSchema>;

export const DEFAULT_TARIFF: Tariff = {
  currency: 'KES',
  fixedCharge: 200,
  blocks: [
    { upTo: 6, price: 53 },
    { upTo: 20, price: 69 },
    { upTo: 50, price: 85 },
    { upTo: null, price: 100 },
  ],
};

export const DEFAULT_DUE_DAYS = 14;

export interface TariffLine {
  from: number;
  to: number | null;
  m3: number;
  price: number;
  amount: number;
}

/** The charge for `consumption` m³: fixed charge plus each block's share, total in whole KES. */
export function tariffCharge(
  tariff: Tariff,
  consumption: number,
): { fixed: number; lines: TariffLine[]; total: number } {
  const lines: TariffLine[] = [];
  let cents = toCents(tariff.fixedCharge);
  let lower = 0;
  for (const block of tariff.blocks) {
    const upper = block.upTo ?? Number.POSITIVE_INFINITY;
    const m3 = Math.max(0, Math.min(consumption, upper) - lower);
    if (m3 > 0) {
      const amount = Math.round(m3 * block.price * 100);
      cents += amount;
      lines.push({
        from: lower,
        to: block.upTo,
        m3: Math.round(m3 * 1000) / 1000,
        price: block.price,
        amount: fromCents(amount),
      });
    }
    if (consumption <= upper) break;
    lower = upper;
  }
  return { fixed: tariff.fixedCharge, lines, total: Math.round(cents / 100) };
}

export interface BillingServiceOptions {
  repos: Repositories;
  tariff?: Tariff | undefined;
  /** Days after the period's last day that the bill is due. */
  dueDays?: number | undefined;
  now?: (() => Date) | undefined;
  /** This node's name in the billing run's lease. */
  node?: string | undefined;
  /** How long a run's lease lasts without progress; renewed as the run goes. Default 60 s. */
  leaseMs?: number | undefined;
}

export type BillingRunResult =
  | {
      ok: true;
      period: string;
      created: Bill[];
      /** Accounts billed for this period before: left as they were. */
      existing: number;
      skipped: { account: string; reason: 'no_readings' }[];
    }
  | {
      ok: false;
      /** `run_in_progress`: another run of the period holds its lease; `taken_over`: this one stalled past it. */
      reason: 'invalid_period' | 'period_not_ended' | 'run_in_progress' | 'taken_over';
      message: string;
    };

export function createBillingService(options: BillingServiceOptions) {
  const { repos } = options;
  const now = options.now ?? (() => new Date());
  const node = options.node ?? nodeName();
  const leaseMs = options.leaseMs ?? 60_000;
  let runs = 0;

  /**
   * Bills every active account for a finished period, one bill per account and period: running it again
   * creates only the bills that are missing. Account credit is taken off each new bill.
   *
   * One run of a period at a time, on any node: a second one asked for meanwhile is refused (`run_in_progress`)
   * until the first finishes or, if its node died, its lease lapses. The lease only saves work; what makes a
   * repeated or overlapping run harmless is that each account is billed in a transaction that finds the period
   * billed already (the bill is unique per account and period) and then changes nothing, credit included.
   */
  async function runBillingPeriod(input: {
    period: string;
    tariff?: Tariff | undefined;
    dueDays?: number | undefined;
  }): Promise<BillingRunResult> {
    const { period } = input;
    if (!isPeriod(period)) {
      return { ok: false, reason: 'invalid_period', message: `Period must look like 2026-11, got ${period}` };
    }
    const bounds = periodBounds(period);
    if (Date.parse(bounds.end) > now().getTime()) {
      return { ok: false, reason: 'period_not_ended', message: `Period ${period} has not ended yet` };
    }
    const tariff = input.tariff ?? options.tariff ?? DEFAULT_TARIFF;
    const dueDate = addDays(bounds.endDate, input.dueDays ?? options.dueDays ?? DEFAULT_DUE_DAYS);
    const lease = await acquireJobLease(repos.jobLeases, {
      name: `billing:${period}`,
      holder: `${node}:${++runs}`,
      ttlMs: leaseMs,
      now,
    });
    if (!lease) {
      return {
        ok: false,
        reason: 'run_in_progress',
        message: `A billing run for ${period} is in progress; try again when it has finished`,
      };
    }
    try {
      return await billAccounts(period, bounds, tariff, dueDate, lease.stillHeld);
    } finally {
      await lease.release();
    }
  }

  async function billAccounts(
    period: string,
    bounds: ReturnType<typeof periodBounds>,
    tariff: Tariff,
    dueDate: string,
    stillHeld: () => Promise<boolean>,
  ): Promise<BillingRunResult> {
    const created: Bill[] = [];
    const skipped: { account: string; reason: 'no_readings' }[] = [];
    let existing = 0;

    // One transaction per account: a long run never holds the database, and a crash half-way resumes cleanly.
    for (const account of await repos.accounts.list({ status: 'active' })) {
      if (!(await stillHeld())) {
        return {
          ok: false,
          reason: 'taken_over',
          message: `This run stalled and another run of ${period} took it over, after ${created.length} bills here`,
        };
      }
      // Counted from what committed: on PostgreSQL a transaction that lost a race to another node runs again.
      const outcome = await repos.transaction(async (tx): Promise<Bill | 'existing' | 'no_readings'> => {
        if (await tx.bills.getByPeriod(account.number, period)) return 'existing';
        const usage = await accountUsage(tx, account.number, bounds.start, bounds.end);
        if (!usage) return 'no_readings';
        const amount = tariffCharge(tariff, usage.used).total;
        const fresh = await tx.accounts.get(account.number);
        const credit = Math.min(toCents(fresh?.credit ?? 0), toCents(amount));
        const { bill, created: isNew } = await tx.bills.create({
          account: account.number,
          period,
          periodStart: bounds.startDate,
          periodEnd: bounds.endDate,
          openingReading: usage.opening,
          closingReading: usage.closing,
          consumption: usage.used,
          amount,
          creditApplied: fromCents(credit),
          dueDate,
        });
        if (!isNew) return 'existing';
        if (credit > 0) await tx.accounts.setCredit(account.number, fromCents(toCents(fresh?.credit ?? 0) - credit));
        return bill;
      });
      if (outcome === 'existing') existing++;
      else if (outcome === 'no_readings') skipped.push({ account: account.number, reason: 'no_readings' });
      else created.push(outcome);
    }
    return { ok: true, period, created, existing, skipped };
  }

  return { runBillingPeriod };
}

export type BillingService = ReturnType<typeof createBillingService>;
