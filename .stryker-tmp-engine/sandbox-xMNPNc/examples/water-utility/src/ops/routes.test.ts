// @ts-nocheck
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, testClock } from '../db/test-support.js';
import { createBillingService } from '../domain/billing.js';
import { createIssueService, type IssueService } from '../domain/issues.js';
import { createReadingIngestion } from '../domain/readings.js';
import { opsRoutes } from './routes.js';

const TOKEN = 'ops-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

let app: FastifyInstance;
let repos: SqliteRepositories;
let issues: IssueService;

beforeEach(async () => {
  const clock = testClock('2026-12-02T08:00:00.000Z');
  repos = memoryRepos(clock);
  issues = createIssueService({ repos, brand: TEST_BRAND, opsPhones: ['+254700000001'], now: clock.now });
  await addAccount(repos, '1001');
  await addAccount(repos, '2001', '+254722000222');
  await issues.reportIssue({
    account: '1001',
    category: 'leak',
    description: 'Leak at gate',
    channel: 'sms',
    phone: '+254711000111',
  });
  await issues.reportIssue({ account: '2001', category: 'no_water', channel: 'ussd', phone: '+254722000222' });
  app = Fastify({ logger: false });
  await app.register(opsRoutes, {
    prefix: '/ops',
    repos,
    issues,
    billing: createBillingService({ repos, now: clock.now }),
    readings: createReadingIngestion({ repos, now: clock.now }),
    token: TOKEN,
  });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await repos.close();
});

describe('operations API', () => {
  it('answers 401 without the right bearer token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ]) {
      const res = await app.inject({ method: 'GET', url: '/ops/issues', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const unknown = await app.inject({ method: 'GET', url: '/ops/nothing-here' });
    expect(unknown.statusCode).toBe(401);
  });

  it('lists issues with filters', async () => {
    const all = await app.inject({ method: 'GET', url: '/ops/issues', headers: auth });
    expect(all.statusCode).toBe(200);
    expect(all.json().issues.map((i: { reference: string }) => i.reference)).toEqual(['R-000002', 'R-000001']);
    const bySms = await app.inject({ method: 'GET', url: '/ops/issues?channel=sms&status=open', headers: auth });
    expect(bySms.json().issues).toMatchObject([{ reference: 'R-000001', category: 'leak', account: '1001' }]);
    const byAccount = await app.inject({
      method: 'GET',
      url: '/ops/issues?account=2001&category=no_water&limit=1',
      headers: auth,
    });
    expect(byAccount.json().issues).toHaveLength(1);
    const bad = await app.inject({ method: 'GET', url: '/ops/issues?status=closed', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request', message: expect.stringContaining('status') });
  });

  it('shows one issue and answers 404 for an unknown one', async () => {
    const one = await app.inject({ method: 'GET', url: '/ops/issues/r-000001', headers: auth });
    expect(one.json().issue).toMatchObject({ reference: 'R-000001', description: 'Leak at gate' });
    const missing = await app.inject({ method: 'GET', url: '/ops/issues/R-000999', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('changes the status and queues the SMS to the reporter', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/ops/issues/R-000001',
      headers: auth,
      payload: { status: 'acknowledged' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ changed: true, issue: { status: 'acknowledged' } });
    const sms = outboxRows(repos).find((m) => m.key === 'issue:R-000001:acknowledged');
    expect(sms?.to).toEqual(['+254711000111']);

    const back = await app.inject({
      method: 'PATCH',
      url: '/ops/issues/R-000001',
      headers: auth,
      payload: { status: 'open' },
    });
    expect(back.statusCode).toBe(409);
    expect(back.json()).toMatchObject({ error: 'invalid_transition' });
  });

  it('answers 400 on a bad body', async () => {
    const cases = [
      { method: 'PATCH' as const, url: '/ops/issues/R-000001', payload: { status: 'done' } },
      { method: 'PATCH' as const, url: '/ops/issues/R-000001', payload: { status: 'resolved', extra: 1 } },
      { method: 'POST' as const, url: '/ops/billing/run', payload: { period: 'November' } },
      { method: 'POST' as const, url: '/ops/readings', payload: { sensorId: 'SN-1001' } },
    ];
    for (const c of cases) {
      const res = await app.inject({ ...c, headers: auth });
      expect(res.statusCode, c.url).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad_request', message: expect.any(String) });
    }
    const broken = await app.inject({
      method: 'POST',
      url: '/ops/billing/run',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"period":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: 'bad_request' });
  });

  it('takes readings, runs billing and lists bills and payments', async () => {
    const readings = await app.inject({
      method: 'POST',
      url: '/ops/readings',
      headers: auth,
      payload: [
        { sensorId: 'SN-1001', reading: 100, timeStamp: '2026-11-01T00:00:00+03:00' },
        { sensorId: 'SN-1001', reading: 112, timeStamp: '2026-12-01T00:00:00+03:00' },
        { sensorId: 'SN-404', reading: 1, timeStamp: '2026-11-05T00:00:00+03:00' },
      ],
    });
    expect(readings.json()).toMatchObject({
      received: 3,
      inserted: 2,
      duplicates: 0,
      unknownSensors: [{ index: 2, sensorId: 'SN-404' }],
    });

    const run = await app.inject({
      method: 'POST',
      url: '/ops/billing/run',
      headers: auth,
      payload: { period: '2026-11' },
    });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ period: '2026-11', created: 1, existing: 0, skipped: [{ account: '2001' }] });
    const early = await app.inject({
      method: 'POST',
      url: '/ops/billing/run',
      headers: auth,
      payload: { period: '2026-12' },
    });
    expect(early.statusCode).toBe(409);

    const bills = await app.inject({ method: 'GET', url: '/ops/bills?account=1001&status=open', headers: auth });
    expect(bills.json().bills).toMatchObject([{ account: '1001', period: '2026-11', consumption: 12, amount: 932 }]);
    const payments = await app.inject({ method: 'GET', url: '/ops/payments?state=PENDING', headers: auth });
    expect(payments.json()).toEqual({ payments: [] });
    expect((await app.inject({ method: 'GET', url: '/ops/payments?state=DONE', headers: auth })).statusCode).toBe(400);
  });
});
