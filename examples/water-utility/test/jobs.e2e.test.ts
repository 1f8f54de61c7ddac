// Background jobs on several nodes sharing one database (PostgreSQL, or one SQLite file for several processes):
// payment reconciliation and billing runs happen once however many nodes start them at the same moment, and a
// node that dies or stalls holding a job's lease hands the job over once the lease lapses, with nothing done twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeAfricasTalking, fakeIntaSend } from '@rolax/ussd-core/fakes';
import { intasendPayments } from '@rolax/ussd-core/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPostgres, startLocalPostgres } from '../../../scripts/postgres-server.js';
import { loadConfig } from '../src/config.js';
import { openPostgresRepositories } from '../src/db/postgres/index.js';
import { openSqliteRepositories } from '../src/db/sqlite/index.js';
import { TEST_BRAND } from '../src/db/test-support.js';
import { createPaymentService } from '../src/domain/payments.js';
import { periodBounds, periodOf, shiftPeriod } from '../src/domain/periods.js';
import type { Repositories } from '../src/domain/ports.js';
import { RECONCILE_JOB } from '../src/domain/reconcile.js';
import { startWaterServer, type WaterServer } from '../src/server.js';
import { eventually } from './harness.js';

/** Job leases here last 3 s (60 s and 150 s in service) so that a lapse fits in a test. */
const LEASE_MS = 3_000;
const COMPLETED = 16;
const CANCELLED = 8;
const UNKNOWN = 6;
const PAID = COMPLETED + CANCELLED;
const BILLED = 40;
const OPS_TOKEN = 'ops-token-0123456789abcdef';
const CALLBACK_TOKEN = 'cb-token-0123456789abcdef';

const sms = fakeAfricasTalking();
const pay = fakeIntaSend();
let pg: LocalPostgres | undefined;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolax-jobs-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  await Promise.all([sms.start(), pay.start()]);
  pg = await startLocalPostgres({ fast: true });
}, 60_000);
afterAll(async () => {
  await Promise.all([sms.close(), pay.close()]);
  await pg?.destroy();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Database {
  env: Record<string, string>;
  /** The same database opened beside the nodes, with its own clock: how the tests write what came before. */
  open(now: () => Date): Promise<Repositories>;
}

const liveEnv = (db: Record<string, string>): Record<string, string> => ({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.JOBS_LOG ?? 'silent',
  AT_USERNAME: sms.username,
  AT_API_KEY: sms.apiKey,
  INTASEND_PUBLISHABLE_KEY: pay.publishableKey,
  INTASEND_SECRET_KEY: pay.secretKey,
  INTASEND_WEBHOOK_CHALLENGE: pay.challenge,
  OPS_TOKEN,
  CALLBACK_TOKEN,
  ...db,
});

const backends: { name: string; fresh(): Promise<Database> }[] = [
  {
    name: 'PostgreSQL',
    async fresh() {
      const url = await pg!.createDatabase();
      return {
        env: liveEnv({ DATABASE_URL: url, DATA_DIR: tempDir() }),
        open: (now) => openPostgresRepositories({ url, now, poolSize: 3 }),
      };
    },
  },
  {
    name: 'one SQLite file',
    async fresh() {
      const env = liveEnv({ DATA_DIR: tempDir() });
      return { env, open: async (now) => openSqliteRepositories({ file: loadConfig(env).databaseFile, now }) };
    },
  },
];

/** A node of the service; its timer never reconciles by itself here, the tests say when. */
const startNode = (db: Database) =>
  startWaterServer(loadConfig(db.env), {
    providerUrls: { sms: sms.url, payments: pay.url },
    jobLeaseMs: LEASE_MS,
    reconcileEveryMs: 3_600_000,
  });

async function startNodes(db: Database, count: number): Promise<WaterServer[]> {
  const nodes: WaterServer[] = [];
  for (let i = 0; i < count; i++) nodes.push(await startNode(db));
  return nodes;
}

/** A node as a process of its own, to be killed with -9 while it runs `job`. */
function startChild(db: Database, job: string): Promise<ChildProcess> {
  const child = spawn('npx', ['tsx', 'test/fixtures/job-node.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      ...db.env,
      PROVIDER_URLS: JSON.stringify({ sms: sms.url, payments: pay.url }),
      JOB_LEASE_MS: String(LEASE_MS),
      JOB: job,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`node exited early (${code})`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  // `npx` runs the node as its child: kill the whole process group.
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}

const phoneOf = (i: number) => `+2547880${String(i).padStart(5, '0')}`;
const accountOf = (i: number) => String(8001 + i);
const minutesAgo = (m: number) => () => new Date(Date.now() - m * 60_000);

/** `count` customers, one account and phone each, each with an open bill of KES 500. */
async function accountsWithBills(repos: Repositories, count: number): Promise<void> {
  await repos.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      const number = accountOf(i);
      const customer = await tx.customers.upsert({ code: `C-${number}`, name: `Customer ${number}` });
      await tx.customers.addPhone(customer.id, phoneOf(i));
      await tx.accounts.upsert({
        number,
        customerId: customer.id,
        name: `Customer ${number}`,
        zone: 'Z',
        location: 'L',
      });
      await tx.accounts.linkPhone(number, phoneOf(i));
      await tx.meters.upsert({ id: `MTR-${number}`, account: number, sensorId: `SN-${number}` });
      await tx.bills.create({
        account: number,
        period: '2026-09',
        periodStart: '2026-09-01',
        periodEnd: '2026-09-30',
        openingReading: 100,
        closingReading: 105,
        consumption: 5,
        amount: 500,
        creditApplied: 0,
        dueDate: '2026-10-14',
      });
    }
  });
}

interface Overdue {
  /** Completed or cancelled at the provider, its webhooks lost: the reconciler's to settle. */
  paid: string[];
  completed: string[];
  /** The push request failed after it may have been sent: no provider id; the payer is to be told. */
  unknown: string[];
}

/** Payments pushed 15 minutes ago whose outcome never reached the service. */
async function overduePayments(db: Database, opts: { unknown?: number } = {}): Promise<Overdue> {
  pay.reset();
  const repos = await db.open(minutesAgo(15));
  const unknown = opts.unknown ?? UNKNOWN;
  try {
    await accountsWithBills(repos, PAID + unknown);
    const payments = createPaymentService({ repos, brand: TEST_BRAND, now: minutesAgo(15) });
    const gateway = intasendPayments({
      publishableKey: pay.publishableKey,
      secretKey: pay.secretKey,
      webhookChallenge: pay.challenge,
      baseUrl: pay.url,
    });
    const out: Overdue = { paid: [], completed: [], unknown: [] };
    for (let i = 0; i < PAID + unknown; i++) {
      const started = await payments.startBillPayment({ account: accountOf(i), phone: phoneOf(i) });
      if (!started.ok) throw new Error(started.reason);
      const reference = started.payment.reference;
      if (i >= PAID) {
        await payments.recordPushFailure(reference, { definite: false, message: 'socket hang up' });
        out.unknown.push(reference);
        continue;
      }
      const requested = await gateway.requestPayment(
        { amount: 500, currency: 'KES', phoneNumber: phoneOf(i), reference, narrative: 'Water bill' },
        { idempotencyKey: reference },
      );
      await payments.recordProviderRequest(reference, { providerId: requested.providerId });
      if (i < COMPLETED) {
        await pay.enterPin(reference, '1234');
        out.completed.push(reference);
      } else {
        await pay.cancel(reference);
      }
      out.paid.push(reference);
    }
    return out;
  } finally {
    await repos.close();
  }
}

const statusCalls = () => pay.requests.filter((r) => r.path.startsWith('/api/v1/payment/status/')).length;

/** Per payment: how often it was moved to a final state, and how often its payer was told it expired. */
async function applied(repos: Repositories, references: string[]) {
  const finals: number[] = [];
  const expiries: number[] = [];
  for (const reference of references) {
    const history = await repos.payments.history(reference);
    finals.push(history.filter((h) => h.applied && (h.toState === 'COMPLETE' || h.toState === 'FAILED')).length);
    expiries.push(history.filter((h) => h.rawState === 'EXPIRED').length);
  }
  return { finals, expiries };
}

/** Settled money: every completed payment paid its bill once, and none of it became credit. */
async function expectPaidOnce(repos: Repositories, completed: number) {
  for (let i = 0; i < completed; i++) {
    expect(await repos.bills.getByPeriod(accountOf(i), '2026-09')).toMatchObject({ paid: 500, balance: 0 });
    expect((await repos.accounts.get(accountOf(i)))?.credit).toBe(0);
  }
}

/** SMS the service queued to each phone (its SMS log), and those the SMS provider received. */
async function smsCounts(repos: Repositories, count: number) {
  const queued: number[] = [];
  const received: number[] = [];
  for (let i = 0; i < count; i++) {
    queued.push((await repos.smsLog.list({ phone: phoneOf(i), direction: 'out' })).length);
    received.push(sms.messagesTo(phoneOf(i)).length);
  }
  return { queued, received };
}

const ones = (n: number) => Array.from({ length: n }, () => 1);
const zeros = (n: number) => Array.from({ length: n }, () => 0);

describe.each(backends)('background jobs on several nodes: $name', (backend) => {
  it('three nodes reconcile at the same moment: one asks the provider, each payment settles once, one SMS each', async () => {
    sms.reset();
    const db = await backend.fresh();
    const nodes = await startNodes(db, 3);
    try {
      const overdue = await overduePayments(db);
      const before = statusCalls();
      const results = await Promise.all(nodes.map((n) => n.reconcilePayments()));
      const asked = statusCalls() - before;

      const ran = results.filter((r) => r.ran);
      expect(ran).toEqual([{ ran: true, checked: PAID, settled: PAID, expired: UNKNOWN }]);
      expect(asked).toBe(PAID);
      const holder = nodes[results.findIndex((r) => r.ran)]!.node;
      expect(await nodes[1]!.repos.jobLeases.get(RECONCILE_JOB)).toMatchObject({ holder });

      const repos = nodes[2]!.repos;
      const states = await Promise.all(
        [...overdue.paid, ...overdue.unknown].map(async (r) => (await repos.payments.getByReference(r))?.state),
      );
      expect(states.filter((s) => s === 'COMPLETE')).toHaveLength(COMPLETED);
      expect(states.filter((s) => s === 'FAILED')).toHaveLength(CANCELLED);
      expect(states.filter((s) => s === 'PENDING')).toHaveLength(UNKNOWN);
      const { finals } = await applied(repos, overdue.paid);
      const { expiries } = await applied(repos, overdue.unknown);
      expect(finals).toEqual(ones(PAID));
      expect(expiries).toEqual(ones(UNKNOWN));
      await expectPaidOnce(repos, COMPLETED);

      // Every node's outbox worker delivers at the same time: still one SMS to each payer.
      await Promise.all([...nodes, ...nodes].map((n) => n.flushOutbox()));
      const counts = await eventually(async () => {
        const c = await smsCounts(repos, PAID + UNKNOWN);
        expect(c.received).toEqual(ones(PAID + UNKNOWN));
        return c;
      });
      expect(counts.queued).toEqual(ones(PAID + UNKNOWN));
      process.stdout.write(
        `${backend.name}: 3 nodes reconciled ${PAID + UNKNOWN} payments at once: ${ran.length} ran, ${asked} status calls, ` +
          `${states.filter((s) => s === 'COMPLETE').length} completed + ${states.filter((s) => s === 'FAILED').length} failed settled once, ` +
          `${expiries.filter((e) => e === 1).length} expired once, ${counts.received.reduce((a, b) => a + b, 0)} SMS received\n`,
      );
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 60_000);

  it('settles and expires each payment once when every node handles it at the same moment, lease or not', async () => {
    sms.reset();
    const db = await backend.fresh();
    const nodes = await startNodes(db, 3);
    try {
      const overdue = await overduePayments(db);
      // IntaSend retries to whichever node the balancer picks; each node gets the final event at the same moment.
      const events = overdue.paid.map((r) => pay.find(r)!.events.at(-1)!);
      const path = `/${CALLBACK_TOKEN}/payments/intasend/webhook`;
      // As IntaSend does, a webhook answered with a 5xx (nothing was committed) is delivered again.
      const post = async (node: WaterServer, event: unknown) => {
        for (let attempt = 1; ; attempt++) {
          const res = await fetch(`${node.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(event),
          });
          const text = await res.text();
          if (res.status < 500 || attempt === 3) {
            return {
              status: res.status,
              attempt,
              changed: res.ok && (JSON.parse(text) as { changed: boolean }).changed,
            };
          }
        }
      };
      // What a reconciler that stalled past its lease and the node that took over do at once: expire the same
      // payments. The lease cannot keep these apart; the transaction that notes the expiry must.
      const expire = nodes.map((n) => createPaymentService({ repos: n.repos, brand: TEST_BRAND }).expireUnknown);
      const [answers, expiredHere, reconciled] = await Promise.all([
        Promise.all(events.flatMap((event) => nodes.map((n) => post(n, event)))),
        Promise.all(overdue.unknown.flatMap((r) => expire.map((e) => e(r)))),
        nodes[0]!.reconcilePayments(),
      ]);
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const changes = answers.filter((a) => a.changed).length + reconciled.settled;
      expect(changes).toBe(PAID);
      expect(expiredHere.filter(Boolean).length + reconciled.expired).toBe(UNKNOWN);

      const repos = nodes[1]!.repos;
      const { finals, expiries } = await applied(repos, [...overdue.paid, ...overdue.unknown]);
      expect(finals).toEqual([...ones(PAID), ...zeros(UNKNOWN)]);
      expect(expiries).toEqual([...zeros(PAID), ...ones(UNKNOWN)]);
      await expectPaidOnce(repos, COMPLETED);
      await Promise.all(nodes.map((n) => n.flushOutbox()));
      const counts = await eventually(async () => {
        const c = await smsCounts(repos, PAID + UNKNOWN);
        expect(c.received).toEqual(ones(PAID + UNKNOWN));
        return c;
      });
      expect(counts.queued).toEqual(ones(PAID + UNKNOWN));
      process.stdout.write(
        `${backend.name}: ${PAID} final events x 3 nodes (${answers.length} webhooks), ${UNKNOWN} expiries x 3 nodes, ` +
          `and a reconciler run: ${changes} state changes, ${expiries.filter((e) => e === 1).length} expired once, ${answers.filter((a) => a.attempt > 1).length} delivered again after a 5xx, ` +
          `${counts.received.reduce((a, b) => a + b, 0)} SMS received\n`,
      );
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 60_000);

  it('takes reconciliation over from a node killed mid-run once its lease lapses; nothing is settled twice', async () => {
    const db = await backend.fresh();
    const overdue = await overduePayments(db);
    const [survivor] = await startNodes(db, 1);
    const repos = survivor!.repos;
    const finalCount = async () =>
      (await Promise.all(overdue.paid.map((r) => repos.payments.getByReference(r)))).filter(
        (p) => p?.state === 'COMPLETE' || p?.state === 'FAILED',
      ).length;
    try {
      // A slow provider, so the kill lands inside the run.
      pay.delay(250);
      const child = await startChild(db, 'reconcile');
      await eventually(async () => expect(await finalCount()).toBeGreaterThanOrEqual(3), 30_000);
      await kill(child);
      const killedAt = Date.now();
      const settledBefore = await finalCount();
      expect(settledBefore).toBeLessThan(PAID);
      pay.recover();
      // The dead node's lease still stands: the survivor leaves the work alone until it lapses.
      expect(await survivor!.reconcilePayments()).toEqual({ ran: false, checked: 0, settled: 0, expired: 0 });
      let waited = 0;
      const takeover = await eventually(async () => {
        waited = Date.now() - killedAt;
        const r = await survivor!.reconcilePayments();
        expect(r.ran).toBe(true);
        return r;
      }, 10_000);
      expect(await finalCount()).toBe(PAID);
      const { finals, expiries } = await applied(repos, [...overdue.paid, ...overdue.unknown]);
      expect(finals.slice(0, PAID)).toEqual(ones(PAID));
      expect(expiries).toEqual([...zeros(PAID), ...ones(UNKNOWN)]);
      await expectPaidOnce(repos, COMPLETED);
      expect((await smsCounts(repos, PAID + UNKNOWN)).queued).toEqual(ones(PAID + UNKNOWN));
      process.stdout.write(
        `${backend.name}: node killed after settling ${settledBefore} of ${PAID}; survivor took the lease ${waited} ms later ` +
          `(lease ${LEASE_MS} ms) and settled ${takeover.settled}; each applied once\n`,
      );
    } finally {
      pay.recover();
      await survivor!.close();
    }
  }, 60_000);

  it('two nodes asked to bill a period at the same moment: one bills, the other is told a run is in progress', async () => {
    const db = await backend.fresh();
    const period = shiftPeriod(periodOf(new Date()), -1);
    await accountsWithReadings(db, period);
    const nodes = await startNodes(db, 2);
    try {
      const run = (node: WaterServer) => ops(node, 'POST', '/billing/run', { period });
      const answers = await Promise.all(nodes.map(run));
      const outcomes = answers
        .map((a) => (a.status === 200 ? `created ${a.json.created}, found ${a.json.existing}` : a.json.error))
        .sort();
      if (backend.name === 'PostgreSQL') {
        expect(outcomes).toEqual([`created ${BILLED}, found 0`, 'run_in_progress']);
      } else {
        // Two nodes in one process on one file: the first run's SQLite calls never give the event loop back, so the
        // second request is read only once the first run has finished (separate processes get the refusal).
        expect(outcomes).toEqual([`created 0, found ${BILLED}`, `created ${BILLED}, found 0`]);
      }
      process.stdout.write(`${backend.name}: two billing runs of ${period} at once: ${outcomes.join(' | ')}\n`);
      await expectBilledOnce(nodes[0]!.repos, period);
      // Finished: either node may run it again, and finds nothing left to bill.
      for (const node of nodes) expect((await run(node)).json).toMatchObject({ created: 0, existing: BILLED });
      await expectBilledOnce(nodes[1]!.repos, period);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 60_000);
});

describe('billing on PostgreSQL when the running node dies or stalls', () => {
  it('a node killed during a billing run holds the period until its lease lapses; then the rest is billed once', async () => {
    const db = await backends[0]!.fresh();
    const period = shiftPeriod(periodOf(new Date()), -1);
    await accountsWithReadings(db, period);
    const [survivor] = await startNodes(db, 1);
    // The run stops at the eleventh account, whose row the test holds: the node dies there.
    const lock = await holdAccount(db, accountOf(10));
    try {
      const child = await startChild(db, `billing:${period}`);
      await eventually(async () => expect(await billCount(survivor!.repos, period)).toBe(10), 20_000);
      await kill(child);
      await lock.release();
      const refused = await ops(survivor!, 'POST', '/billing/run', { period });
      expect(refused).toMatchObject({ status: 409, json: { error: 'run_in_progress' } });
      const done = await eventually(async () => {
        const r = await ops(survivor!, 'POST', '/billing/run', { period });
        expect(r.status).toBe(200);
        return r.json;
      }, 10_000);
      expect(done).toMatchObject({ created: BILLED - 10, existing: 10 });
      await expectBilledOnce(survivor!.repos, period);
    } finally {
      await lock.release();
      await survivor!.close();
    }
  }, 60_000);

  it('a run that stalls past its lease gives way to the node that took over; the account both reached is billed once', async () => {
    const db = await backends[0]!.fresh();
    const period = shiftPeriod(periodOf(new Date()), -1);
    await accountsWithReadings(db, period);
    const [a, b] = await startNodes(db, 2);
    const lock = await holdAccount(db, accountOf(10));
    try {
      const first = ops(a!, 'POST', '/billing/run', { period });
      await eventually(async () => expect(await billCount(a!.repos, period)).toBe(10), 20_000);
      await new Promise((r) => setTimeout(r, LEASE_MS + 200));
      const second = ops(b!, 'POST', '/billing/run', { period });
      // Both runs now wait on the same account; let them go together.
      await eventually(async () => expect(await lock.waiting()).toBe(2), 10_000);
      await lock.release();
      const [stalled, took] = await Promise.all([first, second]);
      expect(stalled).toMatchObject({ status: 409, json: { error: 'taken_over' } });
      expect(took.status).toBe(200);
      expect(took.json.created + took.json.existing).toBe(BILLED);
      await expectBilledOnce(b!.repos, period);
      process.stdout.write(
        `PostgreSQL: stalled billing run gave way (409 taken_over); the other created ${took.json.created}, found ${took.json.existing}; ${BILLED} accounts billed once\n`,
      );
    } finally {
      await lock.release();
      await Promise.all([a!.close(), b!.close()]);
    }
  }, 60_000);
});

async function ops(node: WaterServer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${node.url}/ops${path}`, {
    method,
    headers: { authorization: `Bearer ${OPS_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

/** Accounts with a reading at each end of `period`; every fourth has KES 100 credit to come off its bill. */
async function accountsWithReadings(db: Database, period: string): Promise<void> {
  const repos = await db.open(() => new Date());
  try {
    await accountsWithBills(repos, BILLED);
    const { start, end } = periodBounds(period);
    await repos.readings.insertMany(
      Array.from({ length: BILLED }, (_, i) => [
        { meterId: `MTR-${accountOf(i)}`, value: 100, at: start, source: 'sensor' as const },
        { meterId: `MTR-${accountOf(i)}`, value: 100 + (i % 7), at: end, source: 'sensor' as const },
      ]).flat(),
    );
    for (let i = 0; i < BILLED; i += 4) await repos.accounts.setCredit(accountOf(i), 100);
  } finally {
    await repos.close();
  }
}

async function billCount(repos: Repositories, period: string): Promise<number> {
  return (await repos.bills.list({ period, limit: 500 })).length;
}

/** One bill per account for the period, and credit taken off once where there was some. */
async function expectBilledOnce(repos: Repositories, period: string): Promise<void> {
  const bills = await repos.bills.list({ period, limit: 500 });
  expect(bills).toHaveLength(BILLED);
  expect(new Set(bills.map((b) => b.account)).size).toBe(BILLED);
  for (let i = 0; i < BILLED; i++) {
    const bill = bills.find((b) => b.account === accountOf(i))!;
    expect(bill.creditApplied).toBe(i % 4 === 0 ? 100 : 0);
    expect(bill.balance).toBe(bill.amount - bill.creditApplied);
    expect((await repos.accounts.get(accountOf(i)))?.credit).toBe(0);
  }
}

/** Holds an account row as another transaction would, so a billing run's insert for it waits. */
async function holdAccount(db: Database, account: string) {
  const pool = new (await import('pg')).default.Pool({ connectionString: db.env.DATABASE_URL, max: 2 });
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM accounts WHERE number = $1 FOR UPDATE', [account]);
  let released = false;
  return {
    /** Transactions waiting for a lock. */
    waiting: async () => Number((await pool.query('SELECT count(*) AS n FROM pg_locks WHERE NOT granted')).rows[0].n),
    async release() {
      if (released) return;
      released = true;
      await client.query('COMMIT');
      client.release();
      await pool.end();
    },
  };
}
