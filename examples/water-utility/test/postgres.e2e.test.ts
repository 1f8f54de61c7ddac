import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPostgres, startLocalPostgres } from '../../../scripts/postgres-server.js';
import { MIGRATIONS } from '../src/db/postgres/migrations.js';
import { eventually, http, startService } from './harness.js';

const JANE = '+254711000111';

// The whole service on PostgreSQL: the same demo, the same answers, a different database.
describe('the water service on PostgreSQL', () => {
  let pg: LocalPostgres;
  let svc: Awaited<ReturnType<typeof startService>>;
  let h: ReturnType<typeof http>;
  let dbName: string;

  beforeAll(async () => {
    pg = await startLocalPostgres({ fast: true });
    dbName = 'water';
    await pg.createDatabase(dbName);
    svc = await startService(undefined, undefined, { DATABASE_URL: pg.url(dbName) });
    h = http(svc.server);
  }, 60_000);
  afterAll(async () => {
    await svc?.server.close();
    svc?.removeData();
    await pg?.destroy();
  });

  it('says in /healthz that the database answers', async () => {
    expect((await h.call('GET', '/healthz')).json).toEqual({ ok: true, status: 'ok', mode: 'demo', database: 'up' });
  });

  it('pays a bill by M-Pesa and sends the receipt once', async () => {
    const before = (await h.ops('GET', '/bills?account=1001')).json.bills.find((b: any) => b.status !== 'paid');
    const s = h.ussd(JANE);
    await s.dial();
    await s.input('2');
    await s.input('1');
    await s.input('1');
    await s.input('2');
    s.expectEnd('Enter your M-Pesa PIN');
    const [prompt] = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(JANE)}`)).json;
    expect((await h.call('POST', `/dev/stk/${prompt.reference}/pin`, { pin: '1234' })).json.state).toBe('COMPLETE');
    await eventually(async () => {
      expect((await h.smsTo(JANE)).filter((m) => /received for a\/c 1001/.test(m.text))).toHaveLength(1);
    });
    const after = (await h.ops('GET', '/bills?account=1001')).json.bills.find((b: any) => b.id === before.id);
    expect(after).toMatchObject({ balance: 0, status: 'paid' });
    // The fake has the message before the outbox worker records the provider's answer: wait for the record.
    await eventually(async () => {
      const log = await svc.server.repos.smsLog.list({ phone: JANE });
      expect(log.find((e) => /received for a\/c 1001/.test(e.text))?.status).toBe('sent');
    });
  });

  it('delivers each queued SMS once when two nodes flush the same outbox at the same time', async () => {
    const other = await startService(undefined, undefined, { DATABASE_URL: pg.url(dbName) });
    try {
      const phones = Array.from({ length: 40 }, (_, i) => `+2547990${String(i).padStart(5, '0')}`);
      for (const [i, phone] of phones.entries()) {
        await svc.server.repos.outbox.add({
          key: `burst-${i}`,
          message: { to: [phone], text: `m${i}` },
          createdAt: Date.now(),
        });
      }
      const nodes = [svc.server, other.server];
      await Promise.all([...nodes, ...nodes].map((n) => n.flushOutbox()));
      const received = phones.map((phone) => nodes.reduce((sum, n) => sum + n.fakes!.sms.messagesTo(phone).length, 0));
      expect(received).toEqual(phones.map(() => 1));
      // Both nodes took part: the claim hands rows to whichever asks, never the same row to two.
      expect(nodes.every((n) => phones.some((p) => n.fakes!.sms.messagesTo(p).length > 0))).toBe(true);
    } finally {
      await other.server.close();
      other.removeData();
    }
  });

  it('runs the schema migrations once when several nodes start together', async () => {
    const url = await pg.createDatabase();
    const nodes = await Promise.all([1, 2, 3].map(() => startService(undefined, undefined, { DATABASE_URL: url })));
    try {
      const { rows } = await (nodes[0]!.server.repos as any).pool.query('SELECT version FROM schema_migrations');
      expect(rows).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1 })));
      // The demo seed is idempotent across nodes too: one set of bills.
      const bills = (await http(nodes[1]!.server).ops('GET', '/bills?account=1001')).json.bills;
      expect(new Set(bills.map((b: any) => b.period)).size).toBe(bills.length);
    } finally {
      await Promise.all(nodes.map((n) => n.server.close()));
      for (const n of nodes) n.removeData();
    }
  });

  it('answers a polite END while PostgreSQL is stopped for 10 s, says so in /healthz, and recovers by itself', async () => {
    const queued = 'outage-before';
    await svc.server.repos.outbox.add({
      key: queued,
      message: { to: [JANE], text: 'acknowledged before' },
      createdAt: 0,
    });
    await pg.stop();
    const stoppedAt = Date.now();
    try {
      const health = await h.call('GET', '/healthz');
      expect(health.status).toBe(503);
      expect(health.json).toMatchObject({ ok: false, database: 'unavailable' });
      const dial = await h.call(
        'POST',
        '/ussd',
        new URLSearchParams({ sessionId: 'outage-1', phoneNumber: JANE, serviceCode: '*384*123#', text: '' }),
      );
      expect(dial.status).toBe(200);
      expect(dial.text).toMatch(/^END /);
      expect(dial.text).not.toMatch(/Error|stack|at /);
    } finally {
      await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - stoppedAt))));
      await pg.start();
    }
    await eventually(async () => expect((await h.call('GET', '/healthz')).json).toMatchObject({ ok: true }), 10_000);
    const s = h.ussd(JANE);
    await s.dial();
    s.expectScreen('2. Pay bill');
    // What was recorded before the outage is still there and goes out.
    await svc.server.flushOutbox();
    expect((await h.smsTo(JANE)).filter((m) => m.text === 'acknowledged before')).toHaveLength(1);
  }, 40_000);
});
