// Three nodes on one PostgreSQL behind the round-robin balancer, the gateway fakes in a process of their own. One
// node is killed with SIGKILL while customers' sessions are running, after it pushed an M-Pesa prompt and before
// the customer entered the PIN, while it is waiting for the answer to another push, and while the nodes deliver a
// burst of SMS; then it is started again.
//
// The balancer re-sends nothing. A hop that was cut off (502, or no answer) is re-sent by this test's client, as
// a gateway or the customer would, after RESEND_AFTER_MS. A hop that died inside its turn still holds its
// session's lock until the lock's lease (turn deadline + 2 s = 10 s) runs out, and a re-sent hop waits for the
// lock within its own 8 s deadline: re-sent 3 s after the failure, it waits at most 7 s and has a second left
// for its turn; re-sent at once, it would get the "something went wrong" END and the session would be lost.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { type Cluster, startCluster } from '../src/cluster/cluster.js';
import { openPostgresRepositories, type PostgresRepositories } from '../src/db/postgres/index.js';
import { queueSms } from '../src/domain/notify.js';
import { json, postHop, sleep, traffic } from './cluster-harness.js';
import { eventually } from './harness.js';

const JANE = '+254711000111';
/** Pays while the node is killed in the middle of her push; her account's bill is partly paid already. */
const AMINA = '+254733000444';
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
const RESEND_AFTER_MS = 3000;
const RESENDS = 3;

let cluster: Cluster;
let db: PostgresRepositories;
/** The nodes' logs are kept when the test fails. */
let keepLogs = false;
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
    // A dead node's claimed SMS go out from another node after this lease: short, so the test is short, and well
    // above one send to the slowed-down gateway below (3 s), so that a live node never loses its claim.
    env: { ...env, LOG_LEVEL: 'warn', OUTBOX_LEASE_SECONDS: '10', OPS_TOKEN: 'cluster-ops-token-0123456789' },
  });
  db = await openPostgresRepositories({ url: cluster.database.url, poolSize: 2 });
}, 120_000);

afterAll(async () => {
  await db?.close();
  await cluster?.stop();
  if (keepLogs) console.log(`the nodes' logs are in ${join(dir, 'logs')}`);
  else rmSync(dir, { recursive: true, force: true });
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
  onTestFailed(() => {
    keepLogs = true;
  });
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

  // (c) An SMS burst, answered slowly by the gateway (accepted at once, answered 3 s later) so that the kill lands
  // inside it. IntaSend answers as slowly, which keeps the next push in flight.
  await post(`${gateways}/dev/providers/delay`, { ms: 3000 });
  const at = new Date();
  await db.transaction(async (tx) => {
    for (let i = 0; i < BURST; i++) {
      const to = `+2547990${String(i).padStart(5, '0')}`;
      await queueSms(tx, at, { key: `cluster-burst:${i}`, to, text: `Burst ${i}` });
    }
  });
  const burstOf = (t: Awaited<ReturnType<typeof traffic>>) => t.sms.filter((m) => /^Burst \d+$/.test(m.text));
  // Twelve accepted: every node has had a batch of four in flight; the burst goes on for a few rounds more.
  await eventually(async () => expect(burstOf(await traffic(gateways)).length).toBeGreaterThanOrEqual(12), 10_000);

  // (b') A second payment, confirmed on the same node, which dies while it waits for IntaSend's answer: the hop
  // holds its session's lock when the node dies.
  const mid = tally();
  for (const text of ['', '2', '2*1']) await hop(mid, 'kill-push', AMINA, text);
  const cut = postHop(victim.url, 'kill-push', AMINA, '2*1*2').catch((err: Error) => err);
  await eventually(async () => {
    const pushed = (await traffic(gateways)).payments.filter((p) => p.phone === AMINA.slice(1));
    expect(pushed).toHaveLength(1);
  }, 10_000);

  // (a) The sessions have been running all along.
  const acceptedAtKill = burstOf(await traffic(gateways)).length;
  await victim.process.kill();
  const killedAt = Date.now();
  await post(`${gateways}/dev/providers/delay`, { ms: 0 });
  expect(await cut).toBeInstanceOf(Error);
  // The gateway (or Amina) repeats the hop that got no answer; another node takes it once the lock's lease is out.
  await sleep(RESEND_AFTER_MS);
  const resentAt = performance.now();
  const aminaEnd = await hop(mid, 'kill-push', AMINA, '2*1*2');
  const cutHopMs = Math.round(performance.now() - resentAt);
  expect(aminaEnd).toMatch(/^END (Enter your M-Pesa PIN|A payment for account 3001 is already waiting)/);
  const aminaPrompts = (await json(`${gateways}/dev/stk?phone=${encodeURIComponent(AMINA)}`)).body;
  expect(aminaPrompts).toHaveLength(1);
  const aminaBefore = await billOf(aminaPrompts[0].reference);

  // The customers enter their PINs; IntaSend posts the events to the balancer, which passes them to live nodes.
  for (const reference of [prompt.reference, aminaPrompts[0].reference]) {
    const entered = await post(`${gateways}/dev/stk/${reference}/pin`, { pin: '1234' });
    expect(entered.body).toMatchObject({ state: 'COMPLETE' });
  }
  const receipts = async (phone: string, account: string) =>
    (await traffic(gateways)).sms.filter((m) => m.to === phone && m.text.includes(`received for a/c ${account}`));
  await eventually(async () => expect(await receipts(JANE, '1001')).toHaveLength(1), 15_000);
  await eventually(async () => expect(await receipts(AMINA, '3001')).toHaveLength(1), 15_000);
  // Messages the dead node had claimed go out from the others once their lease (10 s) has run out.
  const distinctBurst = async () => new Set(burstOf(await traffic(gateways)).map((m) => m.text)).size;
  await eventually(async () => expect(await distinctBurst()).toBe(BURST), 30_000);
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
  const payments = [
    { before, after: await billOf(prompt.reference), receipts: await receipts(JANE, '1001') },
    { before: aminaBefore, after: await billOf(aminaPrompts[0].reference), receipts: await receipts(AMINA, '3001') },
  ];
  const burst = burstOf(final);
  const burstDistinct = new Set(burst.map((m) => m.text)).size;
  const figures = {
    sessions: during.started,
    completed: during.completed,
    lost: during.lost.length,
    hops: during.hops,
    resent: during.resent,
    slowestHopMs: Math.round(during.slowestHopMs),
    settledTwice: payments.filter((p) => p.after.paid - p.before.paid > p.after.amount).length,
    receiptsTwice: payments.filter((p) => p.receipts.length > 1).length,
    smsLost: BURST - burstDistinct,
    smsDuplicated: burst.length - burstDistinct,
  };
  console.log(
    `cluster kill -9 of ${victim.name}: sessions ${figures.completed}/${figures.sessions} completed, ` +
      `${figures.lost} lost (${figures.hops} hops, ${figures.resent} re-sent, slowest ${figures.slowestHopMs} ms); ` +
      `the hop cut inside its push answered ${cutHopMs} ms after its re-send ("${aminaEnd.slice(4, 44)}..."); ` +
      `2 payments it pushed: settled twice ` +
      `${figures.settledTwice}, receipts sent twice ${figures.receiptsTwice}; SMS burst of ${BURST}, ${acceptedAtKill} ` +
      `accepted before the kill: ${figures.smsLost} lost, ${figures.smsDuplicated} duplicated; after restart it ` +
      `served ${after.byNode.get(victim.name) ?? 0} of ${after.hops} hops`,
  );

  expect(during.lost).toEqual([]);
  expect(during.completed).toBe(during.started);
  // Every node served hops before the kill, the survivors after it.
  expect([...during.byNode.keys()].sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
  for (const p of payments) {
    expect(p.after).toMatchObject({ state: 'COMPLETE', balance: 0, credit: 0 });
    expect(p.after.paid - p.before.paid).toBe(p.after.amount);
    expect(p.receipts).toHaveLength(1);
  }
  expect(figures.smsLost).toBe(0);
  const sentAt = new Map<string, number[]>();
  for (const m of burst) sentAt.set(m.text, [...(sentAt.get(m.text) ?? []), m.at - killedAt]);
  const repeated = [...sentAt].filter(([, times]) => times.length > 1);
  expect(figures.smsDuplicated, `sent again (ms from the kill): ${JSON.stringify(repeated)}`).toBeLessThanOrEqual(
    IN_FLIGHT,
  );
  expect(after.lost).toEqual([]);
  expect(after.byNode.get(victim.name)).toBeGreaterThan(0);
});
