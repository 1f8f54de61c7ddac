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

  beforeAll(async () => {
    pg = await startLocalPostgres({ fast: true });
    svc = await startService(undefined, undefined, { DATABASE_URL: await pg.createDatabase() });
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
    await s.input('1');
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
});
