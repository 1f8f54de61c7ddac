// @ts-nocheck
// Demo data: a handful of customers around Kahawa, Githurai and Ruiru with daily meter readings for the last
// five months, bills for the last three finished months (the latest one still open) and a few issue reports.
// Running it again adds only what is missing: readings for the days since, bills for a newly finished month.
// The register values follow from a fixed start date, so they stay consistent from one run to the next.
// Nothing here is queued in the SMS outbox: the demo must not text anyone about history.
import { createBillingService, DEFAULT_TARIFF, type Tariff } from '../domain/billing.js';
import type { IssueCategory, Language, MeterReading } from '../domain/model.js';
import { paymentReference } from '../domain/payments.js';
import { localDate, localMidnight, periodOf, shiftPeriod } from '../domain/periods.js';
import type { Repositories } from '../domain/ports.js';
import { fromCents, toCents } from '../domain/units.js';

export interface DemoCustomer {
  phone: string;
  name: string;
  accounts: string[];
  language: Language;
  /** What this customer shows off in the demo. */
  note: string;
}

/** Who to dial as in the simulator, and what each one shows. */
export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    phone: '+254711000111',
    name: 'Wanjiku Kamau',
    accounts: ['1001', '1002'],
    language: 'en',
    note: 'two accounts (home and kiosk), each with an open bill',
  },
  {
    phone: '+254722000222',
    name: 'Otieno Ochieng',
    accounts: ['2001'],
    language: 'en',
    note: 'one account, open bill',
  },
  {
    phone: '+254733000333',
    name: 'Mohamed Hassan',
    accounts: ['3001'],
    language: 'sw',
    note: 'Swahili; bill partly paid',
  },
  {
    phone: '+254733000444',
    name: 'Amina Hassan',
    accounts: ['3001'],
    language: 'en',
    note: 'same account as Mohamed, from a second phone',
  },
  { phone: '+254744000555', name: 'Grace Njeri', accounts: ['4001'], language: 'en', note: 'everything paid' },
  {
    phone: '+254755000666',
    name: 'Kahawa Primary School (bursar)',
    accounts: ['5001'],
    language: 'en',
    note: 'large user: every tariff block',
  },
];

interface DemoAccount {
  number: string;
  customer: string;
  name: string;
  zone: string;
  location: string;
  /** Typical m³ per day. */
  dailyUse: number;
  /** Register value at the start date, m³. */
  base: number;
}

const CUSTOMERS: readonly { code: string; name: string; phones: string[] }[] = [
  { code: 'C-0001', name: 'Wanjiku Kamau', phones: ['+254711000111'] },
  { code: 'C-0002', name: 'Otieno Ochieng', phones: ['+254722000222'] },
  { code: 'C-0003', name: 'Hassan Family', phones: ['+254733000333', '+254733000444'] },
  { code: 'C-0004', name: 'Grace Njeri', phones: ['+254744000555'] },
  { code: 'C-0005', name: 'Kahawa Primary School', phones: ['+254755000666'] },
];

const ACCOUNTS: readonly DemoAccount[] = [
  {
    number: '1001',
    customer: 'C-0001',
    name: 'Wanjiku Kamau - Home',
    zone: 'Zone A',
    location: 'Kahawa West, Mwihoko Rd, House 14',
    dailyUse: 0.45,
    base: 812.4,
  },
  {
    number: '1002',
    customer: 'C-0001',
    name: 'Mama Wanjiku Kiosk',
    zone: 'Zone A',
    location: 'Kahawa West shopping centre, stall 9',
    dailyUse: 1.1,
    base: 2310.75,
  },
  {
    number: '2001',
    customer: 'C-0002',
    name: 'Otieno Ochieng',
    zone: 'Zone B',
    location: 'Githurai 45, Plot 221',
    dailyUse: 0.3,
    base: 455.2,
  },
  {
    number: '3001',
    customer: 'C-0003',
    name: 'Hassan Family',
    zone: 'Zone C',
    location: 'Ruiru, Kimbo Estate, Block 7',
    dailyUse: 0.6,
    base: 1520,
  },
  {
    number: '4001',
    customer: 'C-0004',
    name: 'Grace Njeri',
    zone: 'Zone A',
    location: 'Kahawa Sukari, Avenue 3',
    dailyUse: 0.25,
    base: 301.9,
  },
  {
    number: '5001',
    customer: 'C-0005',
    name: 'Kahawa Primary School',
    zone: 'Zone A',
    location: 'Kahawa Garrison Rd',
    dailyUse: 2.9,
    base: 10480.5,
  },
];

const LINKS: readonly [account: string, phone: string][] = [
  ['1001', '+254711000111'],
  ['1002', '+254711000111'],
  ['2001', '+254722000222'],
  ['3001', '+254733000333'],
  ['3001', '+254733000444'],
  ['4001', '+254744000555'],
  ['5001', '+254755000666'],
];

/** Register values are computed from this day on, so each day's value is the same on every run. */
const ORIGIN = '2024-01-01';
const HISTORY_DAYS = 150;
/** Readings are taken at 06:00 Nairobi time. */
const READING_HOUR_MS = 6 * 3_600_000;

/** Deterministic 0..1 noise per account and day. */
function noise(account: string, day: number): number {
  let h = 2166136261;
  for (const c of `${account}:${day}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

function dayUse(a: DemoAccount, dayIndex: number, date: string): number {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  // Homes use more at weekends; the school almost nothing.
  const week =
    a.number === '5001' ? (weekday === 0 || weekday === 6 ? 0.15 : 1.3) : weekday === 0 || weekday === 6 ? 1.25 : 0.92;
  return a.dailyUse * week * (0.7 + 0.6 * noise(a.number, dayIndex));
}

function readingsFor(a: DemoAccount, now: Date): MeterReading[] {
  const today = localDate(now);
  const first = localDate(new Date(now.getTime() - HISTORY_DAYS * 86_400_000));
  const out: MeterReading[] = [];
  let litres = Math.round(a.base * 1000);
  for (let i = 0, date = ORIGIN; date <= today; i++, date = addDay(date)) {
    const at = new Date(localMidnight(date).getTime() + READING_HOUR_MS);
    if (at > now) break;
    if (date >= first)
      out.push({ meterId: `MTR-${a.number}`, value: litres / 1000, at: at.toISOString(), source: 'seed' });
    litres += Math.round(dayUse(a, i, date) * 1000);
  }
  return out;
}

const addDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const ISSUES: readonly {
  key: string;
  account: string;
  phone: string;
  category: IssueCategory;
  description: string;
  channel: 'ussd' | 'sms';
  status: 'open' | 'acknowledged' | 'resolved';
}[] = [
  {
    key: 'seed-issue-1',
    account: '2001',
    phone: '+254722000222',
    category: 'leak',
    description: 'Leak at the gate valve, water running onto the road',
    channel: 'sms',
    status: 'resolved',
  },
  {
    key: 'seed-issue-2',
    account: '3001',
    phone: '+254733000333',
    category: 'low_pressure',
    description: 'Presha ndogo sana asubuhi',
    channel: 'ussd',
    status: 'acknowledged',
  },
  {
    key: 'seed-issue-3',
    account: '1002',
    phone: '+254711000111',
    category: 'no_water',
    description: 'No water at the kiosk since yesterday evening',
    channel: 'ussd',
    status: 'open',
  },
];

export interface SeedResult {
  readingsInserted: number;
  billsCreated: number;
  paymentsCreated: number;
  issuesCreated: number;
}

/** Loads the demo data; safe to run on every start. */
export async function seedDemoData(
  repos: Repositories,
  options: { now?: (() => Date) | undefined; tariff?: Tariff | undefined } = {},
): Promise<SeedResult> {
  const now = options.now ?? (() => new Date());
  const at = now();

  await repos.transaction(async (tx) => {
    const ids = new Map<string, number>();
    for (const c of CUSTOMERS) {
      const customer = await tx.customers.upsert({ code: c.code, name: c.name });
      ids.set(c.code, customer.id);
      for (const phone of c.phones) await tx.customers.addPhone(customer.id, phone);
    }
    for (const a of ACCOUNTS) {
      if (!(await tx.accounts.get(a.number))) {
        await tx.accounts.upsert({
          number: a.number,
          customerId: ids.get(a.customer) ?? null,
          name: a.name,
          zone: a.zone,
          location: a.location,
        });
      }
      await tx.meters.upsert({ id: `MTR-${a.number}`, account: a.number, sensorId: `SN-${a.number}` });
    }
    for (const [account, phone] of LINKS) await tx.accounts.linkPhone(account, phone);
    for (const d of DEMO_CUSTOMERS) {
      if (!(await tx.preferences.getLanguage(d.phone))) await tx.preferences.setLanguage(d.phone, d.language);
    }
  });

  let readingsInserted = 0;
  for (const a of ACCOUNTS) readingsInserted += (await repos.readings.insertMany(readingsFor(a, at))).inserted;

  const billing = createBillingService({ repos, now, tariff: options.tariff ?? DEFAULT_TARIFF });
  const latest = shiftPeriod(periodOf(at), -1);
  const periods = [shiftPeriod(latest, -2), shiftPeriod(latest, -1), latest];
  let billsCreated = 0;
  for (const period of periods) {
    const run = await billing.runBillingPeriod({ period });
    if (run.ok) billsCreated += run.created.length;
  }

  // Older bills were paid in full; of the latest, Grace paid in full and the Hassans paid part.
  let paymentsCreated = 0;
  await repos.transaction(async (tx) => {
    for (const a of ACCOUNTS) {
      for (const period of periods) {
        const bill = await tx.bills.getByPeriod(a.number, period);
        if (!bill || (await tx.payments.lastAttempt(bill.id)) > 0) continue;
        const isLatest = period === latest;
        const share = !isLatest || a.number === '4001' ? 1 : a.number === '3001' ? 0.5 : 0;
        const amount = Math.round(bill.balance * share);
        if (amount <= 0) continue;
        const phone = LINKS.find(([acct]) => acct === a.number)?.[1] ?? '';
        const paidOn = new Date(Date.parse(`${bill.periodEnd}T09:00:00Z`) + 5 * 86_400_000).toISOString();
        const reference = paymentReference(a.number, period, 1);
        await tx.payments.create({
          reference,
          account: a.number,
          billId: bill.id,
          attempt: 1,
          phone,
          amount,
          currency: 'KES',
          provider: 'intasend',
        });
        await tx.payments.update(reference, {
          state: 'COMPLETE',
          providerId: `SEED${a.number}${period.replace('-', '')}`,
          paidAmount: amount,
          mpesaReference: mpesaRef(a.number, period),
          completedAt: paidOn,
        });
        const rest = toCents(bill.balance) - toCents(amount);
        await tx.bills.updateBalance(bill.id, {
          paid: fromCents(toCents(bill.paid) + toCents(amount)),
          balance: fromCents(rest),
          status: rest === 0 ? 'paid' : 'partially_paid',
        });
        paymentsCreated++;
      }
    }
  });

  let issuesCreated = 0;
  await repos.transaction(async (tx) => {
    for (const s of ISSUES) {
      if (await tx.issues.getByInboundId(s.key)) continue;
      const account = await tx.accounts.get(s.account);
      const reference = await tx.issues.nextReference();
      await tx.issues.create(reference, {
        category: s.category,
        description: s.description,
        account: s.account,
        location: account ? `${account.location}, ${account.zone}` : null,
        channel: s.channel,
        reporterPhone: s.phone,
        inboundId: s.key,
      });
      const when = at.toISOString();
      if (s.status !== 'open') await tx.issues.updateStatus(reference, 'acknowledged', when);
      if (s.status === 'resolved') await tx.issues.updateStatus(reference, 'resolved', when);
      issuesCreated++;
    }
  });

  return { readingsInserted, billsCreated, paymentsCreated, issuesCreated };
}

/** M-Pesa style receipt: 10 upper-case letters and digits. */
function mpesaRef(account: string, period: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let out = 'S';
  for (let i = 0; i < 9; i++) out += alphabet[Math.floor(noise(`${account}${period}`, i) * alphabet.length)];
  return out;
}
