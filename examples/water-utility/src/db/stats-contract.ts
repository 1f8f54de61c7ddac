// One suite for every storage backend's ServiceStats: each aggregate must agree with what the repositories list.
import { expect, it } from 'vitest';
import type { Repositories } from '../domain/ports.js';
import type { ServiceStats } from '../ops/stats.js';
import { seedDemoData } from './seed.js';

export function statsContract(name: string, open: () => Promise<{ repos: Repositories; stats: ServiceStats }>) {
  it(`${name}: counts payments, issues, SMS and the outbox as the repositories list them`, async () => {
    const { repos, stats } = await open();
    try {
      await seedDemoData(repos);
      await stats.ping();
      const schema = await stats.schema();
      expect(schema.applied).toBe(schema.expected);

      const byState = Object.fromEntries((await stats.paymentsByState()).map((r) => [r.state, r.count]));
      for (const state of ['PENDING', 'PROCESSING', 'COMPLETE', 'FAILED'] as const) {
        expect(byState[state] ?? 0).toBe((await repos.payments.list({ state, limit: 500 })).length);
      }
      expect(byState.COMPLETE).toBeGreaterThan(0);

      const issues = await repos.issues.list({ limit: 500 });
      const expected = new Map<string, number>();
      for (const i of issues)
        expected.set(`${i.category}/${i.channel}`, (expected.get(`${i.category}/${i.channel}`) ?? 0) + 1);
      const got = new Map((await stats.issuesByCategory()).map((r) => [`${r.category}/${r.channel}`, r.count]));
      expect(got).toEqual(expected);

      const out = (await repos.smsLog.list({ direction: 'out', limit: 500 })).length;
      const sms = (await stats.smsByStatus()).reduce((n, r) => n + r.count, 0);
      expect(sms).toBe(out);

      const now = Date.now();
      const before = await stats.outbox(now);
      await repos.outbox.add({
        key: 'stats-1',
        message: { to: ['+254700000009'], text: 'hi' },
        createdAt: now - 90_000,
      });
      const after = await stats.outbox(now);
      expect(after.pending).toBe(before.pending + 1);
      expect(after.oldestPendingMs).toBeGreaterThanOrEqual(90_000);
      const claimed = (await repos.outbox.claimDue(now, 100, 60_000)).find((i) => i.key === 'stats-1');
      expect(claimed).toBeDefined();
      await repos.outbox.markRetry('stats-1', 1, now + 60_000, 'provider down');
      expect((await stats.outbox(now)).pendingAttempts).toBe(before.pendingAttempts + 1);
    } finally {
      await repos.close();
    }
  });
}
