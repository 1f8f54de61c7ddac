// Three nodes on one PostgreSQL behind the round-robin balancer, the gateway fakes in a process of their own. One
// node is killed with SIGKILL while customers' sessions are running, after it pushed an M-Pesa prompt and before
// the customer entered the PIN, and while the nodes deliver a burst of SMS; then it is started again.
//
// The balancer re-sends nothing. A hop that was cut off (502, or no answer) is re-sent by this test's client, as
// a gateway or the customer would, after RESEND_AFTER_MS: a hop that died inside its turn still holds its
// session's lock until the lock's lease (turn deadline + 2 s) runs out, and a re-sent hop waits for the lock for
// at most the turn deadline (8 s). A re-send 2 s later therefore always gets the lock; sooner, it may be refused
// with the "busy" apology, which would lose the session.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../src/cluster/cluster.js';
import { openPostgresRepositories, type PostgresRepositories } from '../src/db/postgres/index.js';
import { queueSms } from '../src/domain/notify.js';
import { json, postHop, sleep, traffic } from './cluster-harness.js';
import { eventually } from './harness.js';

const JANE = '+254711000111';
/** Phones with one account each, so a session is: home, the account's use, back, exit. */
const CUSTOMERS: readonly [phone: string, account: string][] = [
  ['+254722000222', '2001'],
  ['+254744000555', '4001'],
  ['+254755000666', '5001'],
  ['+254733000333', '3001'],
];
const BURST = 40;
/** Messages one node's outbox sends at once: the most a kill can leave accepted but unrecorded. */
const IN_FLIGHT = 4;
const RESEND_AFTER_MS = 2000;
const RESENDS = 3;

let cluster: Cluster;
let db: PostgresRepositories;
const dir = mkdtempSync(join(tmpdir(), 'rolax-cluster-kill-'));
// Run as root, PostgreSQL runs as its own user, which must reach its data folder inside this one.
chmodSync(dir, 0o755);

beforeAll(async () => {
  const { PORT: _p, HOST: _h, DATABASE_URL: _d, ...env } = process.env;
  cluster = await startCluster({
    port: 0,
    nodes: 3,
    dir,
    fastPostgres: true,
    // A dead node's claimed SMS go out from another node after this lease: short, so the test is short.
    env: { ...env, LOG_LEVEL: 'warn', OUTBOX_LEASE_SECONDS: '5', OPS_TOKEN: 'cluster-ops-token-0123456789' },
  });
  db = await openPostgresRepositories({ url: cluster.database.url, poolSize: 2 });
}, 120_000);

afterAll(async () => {
  await db?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Tally {
  started: number;
  completed: number;
  lost: string[];
  hops: number;
  resent: number;
  slowestHopMs: number;
  byNode: Map<string, number>;
}

const tally = (): Tally => ({
  started: 0,
  completed: 0,
  lost: [],
  hops: 0,
  resent: 0,
  slowestHopMs: 0,
  byNode: new Map(),
});

/** A hop through the balancer, re-sent when it got no answer from a node; throws when it stays unanswered. */
async function hop(t: Tally, sessionId: string, phone: string, text: string): Promise<string> {
  const began = performance.now();
  for (let attempt = 0; ; attempt++) {
    const answer = await postHop(cluster.balancer.url, sessionId, phone, text).catch(() => undefined);
    if (answer?.status === 200) {
      t.hops++;
      t.slowestHopMs = Math.max(t.slowestHopMs, performance.now() - began);
      if (answer.node) t.byNode.set(answer.node, (t.byNode.get(answer.node) ?? 0) + 1);
      return answer.body;
    }
    if (attempt === RESENDS) throw new Error(`hop "${text}" unanswered: ${answer?.status} ${answer?.body}`);
    t.resent++;
    await sleep(RESEND_AFTER_MS);
  }
}

/** Home, the account's water use, back, exit: completed only when every screen is the one expected. */
async function checkUsage(t: Tally, sessionId: string, phone: string, account: string): Promise<void> {
  t.started++;
  try {
    const screens = [
      await hop(t, sessionId, phone, ''),
      await hop(t, sessionId, phone, '1'),
      await hop(t, sessionId, phone, '1*0'),
      await hop(t, sessionId, phone, '1*0*5'),
    ];
    const expected = [
      /^CON rolax Water\n/,
      new RegExp(`^CON (Acc|Akaunti) ${account} `),
      /^CON rolax Water\n/,
      /^END /,
    ];
    screens.forEach((s, i) => {
      if (!expected[i]!.test(s)) throw new Error(`screen ${i + 1}: ${s}`);
    });
    if (!/Thank you|Asante/.test(screens[3]!)) throw new Error(`ended with: ${screens[3]}`);
    t.completed++;
  } catch (err) {
    t.lost.push(`${sessionId}: ${(err as Error).message}`);
  }
}

const post = (url: string, body: unknown) =>
  json(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function billOf(reference: string) {
  const { rows } = await db.pool.query(
    `SELECT p.state, p.amount_cents::int AS amount, b.paid_cents::int AS paid, b.balance_cents::int AS balance,
            a.credit_cents::int AS credit
       FROM payments p JOIN bills b ON b.id = p.bill_id JOIN accounts a ON a.number = p.account_number
      WHERE p.reference = $1`,
    [reference],
  );
  return rows[0] as { state: string; amount: number; paid: number; balance: number; credit: number };
}

it('loses no session, payment or SMS when a node is killed with -9, and takes the node back', {
  timeout: 90_000,
}, async () => {
  const gateways = cluster.gateways.url;
  const during = tally();
  let stop = false;
  let counter = 0;
  const load = Promise.all(
    CUSTOMERS.map(async ([phone, account]) => {
      while (!stop) await checkUsage(during, `kill-${++counter}`, phone, account);
    }),
  );

  // (b) A payment: the node that answers the confirmation pushes the M-Pesa prompt; that node is the one killed.
  const payer = tally();
  for (const text of ['', '2', '2*1', '2*1*1']) await hop(payer, 'kill-pay', JANE, text);
  const confirm = await postHop(cluster.balancer.url, 'kill-pay', JANE, '2*1*1*2');
  expect(confirm.body).toMatch(/^END Enter your M-Pesa PIN/);
  const victim = cluster.nodes.find((n) => n.name === confirm.node)!;
  const [prompt] = (await json(`${gateways}/dev/stk?phone=${encodeURIComponent(JANE)}`)).body;
  expect(prompt).toMatchObject({ amount: expect.any(Number) });
  const before = await billOf(prompt.reference);
  expect(before).toMatchObject({ state: 'PENDING', paid: 0 });

  // (c) An SMS burst, answered slowly by the gateway so that the kill lands inside it.
  await post(`${gateways}/dev/providers/delay`, { ms: 400 });
  const at = new Date();
  await db.transaction(async (tx) => {
    for (let i = 0; i < BURST; i++) {
      await queueSms(tx, at, {
        key: `cluster-burst:${i}`,
        to: `+2547990${String(i).padStart(5, '0')}`,
        text: `Burst ${i}`,
      });
    }
  });
  const burstOf = (t: Awaited<ReturnType<typeof traffic>>) => t.sms.filter((m) => /^Burst \d+$/.test(m.text));
  await eventually(async () => expect(burstOf(await traffic(gateways)).length).toBeGreaterThanOrEqual(10), 20_000);

  // (a) The sessions have been running all along.
  const acceptedAtKill = burstOf(await traffic(gateways)).length;
  await victim.process.kill();
  const killedAt = Date.now();
  await post(`${gateways}/dev/providers/delay`, { ms: 0 });

  // The customer enters the PIN; IntaSend posts the events to the balancer, which passes them to the live nodes.
  expect((await post(`${gateways}/dev/stk/${prompt.reference}/pin`, { pin: '1234' })).body).toMatchObject({
    state: 'COMPLETE',
  });
  const receipts = async () =>
    (await traffic(gateways)).sms.filter((m) => m.to === JANE && m.text.includes('received for a/c 1001'));
  await eventually(async () => expect(await receipts()).toHaveLength(1), 15_000);
  // Messages the dead node had claimed go out from the others once their lease (5 s) has run out.
  await eventually(
    async () => expect(new Set(burstOf(await traffic(gateways)).map((m) => m.text)).size).toBe(BURST),
    30_000,
  );
  // Sessions go on past the kill for longer than a session lock's lease, then stop.
  await sleep(Math.max(0, killedAt + 12_000 - Date.now()));
  stop = true;
  await load;

  // The dead node comes back on its port; the balancer's health check puts it back in the rotation.
  await victim.restart();
  await eventually(async () => expect(cluster.balancer.upstreams.find((u) => u.name === victim.name)?.up).toBe(true));
  const after = tally();
  for (let i = 0; i < 6; i++) await checkUsage(after, `kill-after-${i}`, CUSTOMERS[i % 4]![0], CUSTOMERS[i % 4]![1]);

  const final = await traffic(gateways);
  const settled = await billOf(prompt.reference);
  const burst = burstOf(final);
  const burstDistinct = new Set(burst.map((m) => m.text)).size;
  const figures = {
    sessions: during.started,
    completed: during.completed,
    lost: during.lost.length,
    hops: during.hops,
    resent: during.resent,
    slowestHopMs: Math.round(during.slowestHopMs),
    settledTwice: (settled.paid - before.paid) / settled.amount > 1 ? 1 : 0,
    receiptsTwice: Math.max(0, (await receipts()).length - 1),
    smsLost: BURST - burstDistinct,
    smsDuplicated: burst.length - burstDistinct,
    webhookAnswers: final.webhooks.map((w) => `${w.state}:${w.answers.join('/')}`).join(' '),
  };
  console.log(
    `cluster kill -9 of ${victim.name}: sessions ${figures.completed}/${figures.sessions} completed, ${figures.lost} lost ` +
      `(${figures.hops} hops, ${figures.resent} re-sent, slowest ${figures.slowestHopMs} ms); payment pushed by it: ` +
      `settled twice ${figures.settledTwice}, receipts sent twice ${figures.receiptsTwice} (webhooks ${figures.webhookAnswers}); ` +
      `SMS burst of ${BURST}, ${acceptedAtKill} accepted before the kill: ${figures.smsLost} lost, ` +
      `${figures.smsDuplicated} duplicated; after restart it served ${after.byNode.get(victim.name) ?? 0} of ${after.hops} hops`,
  );

  expect(during.lost).toEqual([]);
  expect(during.completed).toBe(during.started);
  // Every node served hops before the kill, the survivors after it.
  expect([...during.byNode.keys()].sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
  expect(settled).toMatchObject({ state: 'COMPLETE', balance: 0, credit: 0 });
  expect(settled.paid - before.paid).toBe(settled.amount);
  expect(figures.receiptsTwice).toBe(0);
  expect(figures.smsLost).toBe(0);
  expect(figures.smsDuplicated).toBeLessThanOrEqual(IN_FLIGHT);
  expect(after.lost).toEqual([]);
  expect(after.byNode.get(victim.name)).toBeGreaterThan(0);
});
