import { measureBody } from '@rolax/ussd-core/budget';
import { exploreMenu } from '@rolax/ussd-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../src/db/seed.js';
import { startService } from './harness.js';

// Generated from the menu: every path a customer can take, for every kind of seeded phone, in both languages,
// on Safaricom (the tightest budget). Each hop is a real request, so each one is persisted and restored.
describe('every screen of every path', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  beforeAll(async () => {
    svc = await startService();
    // Swahili for one of the multi-account phones, so both languages walk every path.
    await svc.server.repos.preferences.setLanguage('+254722000222', 'sw');
  });
  afterAll(async () => {
    await svc.server.close();
    svc.removeData();
  });

  const seen = new Set<string>();
  const phones = [...new Set(DEMO_CUSTOMERS.map((c) => c.phone)), '+254799999999'];

  it.each(phones)('fits 160 characters for %s', async (phone) => {
    const paths = await exploreMenu(svc.server.ussd, { phoneNumber: phone, networkCode: '63902', maxDepth: 10 });
    expect(paths.length).toBeGreaterThan(phone === '+254799999999' ? 2 : 10);
    const over: string[] = [];
    for (const p of paths) {
      for (const r of p.replies) {
        seen.add(r.text);
        const m = measureBody(r.body, 160);
        if (!m.fits || m.encoding !== 'GSM-7') over.push(`${p.inputs.join('*')}: ${m.units} ${m.encoding}\n${r.body}`);
      }
    }
    expect(over).toEqual([]);
    // Every path ends on an END screen or is cut by the depth limit, never on an error.
    for (const p of paths) {
      for (const r of p.replies) expect(r.text).not.toMatch(/something went wrong|service is busy/i);
    }
  });

  it('walked both languages', () => {
    const all = [...seen].join('\n');
    expect(all).toContain('Pay bill');
    expect(all).toContain('Lipa bili');
    expect(all).toContain('Thank you. Issue R-');
    expect(all).toContain('Asante. Tatizo R-');
  });
});
