// Another process holding SQLite's write lock (a backup, a migration, sqlite3 left open in a transaction) must not
// freeze the service: health answers at once saying degraded, customers get the polite END within the turn
// deadline, and nothing is recorded after its customer was told it failed.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startService } from './harness.js';

const PHONE = '+254722000222';
const HOLD_MS = 12_000;

describe('a write lock held by another connection', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  let h: ReturnType<typeof http>;
  beforeAll(async () => {
    svc = await startService();
    h = http(svc.server);
  });
  afterAll(async () => {
    await svc.server.close();
    svc.removeData();
  });

  const timed = async <T>(fn: () => Promise<T>) => {
    const started = performance.now();
    const value = await fn();
    return { value, ms: performance.now() - started };
  };

  it('keeps health and customers answered, and records nothing late', { timeout: 30_000 }, async () => {
    // A customer is about to send a report when the lock is taken.
    const s = h.ussd(PHONE);
    await s.dial();
    await s.input('3');
    await s.input('2');
    s.expectScreen('Describe it');

    const other = new Database(`${svc.dataDir}/water.sqlite`);
    other.exec('BEGIN EXCLUSIVE');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        other.close();
        resolve();
      }, HOLD_MS),
    );
    try {
      const health = await timed(() => h.call('GET', '/healthz'));
      expect(health.ms).toBeLessThan(500);
      expect(health.value.status).toBe(503);
      expect(health.value.json).toMatchObject({ ok: false, status: 'degraded' });

      const report = await timed(() => s.input('Locked-out leak report'));
      expect(report.ms).toBeLessThan(8_500);
      expect(s.last!.text).toMatch(/^Sorry, /);

      const caller = h.ussd('+254711000111');
      const dial = await timed(() => caller.dial());
      expect(dial.ms).toBeLessThan(8_500);
      expect(caller.last!.text).toMatch(/^Sorry, /);

      const healthAgain = await timed(() => h.call('GET', '/healthz'));
      expect(healthAgain.ms).toBeLessThan(500);
      process.stdout.write(
        `lock: healthz ${health.ms.toFixed(0)} ms, ${healthAgain.ms.toFixed(0)} ms; report hop ${report.ms.toFixed(0)} ms; dial ${dial.ms.toFixed(0)} ms\n`,
      );
    } finally {
      await released;
    }
    // Once the lock is gone, the service is healthy and the failed report was never recorded.
    await new Promise((r) => setTimeout(r, 500));
    expect((await h.call('GET', '/healthz')).json).toMatchObject({ ok: true });
    const issues = (await h.ops('GET', '/issues?account=2001&limit=50')).json.issues as { description: string }[];
    expect(issues.map((i) => i.description)).not.toContain('Locked-out leak report');
    const again = h.ussd('+254711000111');
    await again.dial();
    again.expectScreen('Check water use');
  });
});
