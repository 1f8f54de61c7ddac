import { afterAll, describe, expect, it } from 'vitest';
import { http, startService } from './harness.js';

const JANE = '+254711000111';

/** A clock that starts at `iso` and then runs at the speed of the real one, so waits and windows still pass. */
function clockFrom(iso: string): () => Date {
  const base = Date.parse(iso);
  const started = Date.now();
  return () => new Date(base + (Date.now() - started));
}

// Nairobi local time (UTC+3): a month's last minute and the next month's first, across a year's end and after
// a short February. The latest billed period is the month before the local date, written out here.
const instants: [string, string, string][] = [
  ['the last minute of a year', '2026-12-31T23:59:00+03:00', '2026-11'],
  ['the first minute of a year', '2027-01-01T00:00:30+03:00', '2026-12'],
  ['the first minute of a month after February', '2027-03-01T00:00:30+03:00', '2027-02'],
];

describe.each(instants)('the water service on %s', (_name, iso, latest) => {
  const started = startService(undefined, undefined, {}, clockFrom(iso));
  afterAll(async () => {
    const svc = await started;
    await svc.server.close();
    svc.removeData();
  });

  it(`seeds three billed months ending ${latest}, and pays that open bill once by M-Pesa`, async () => {
    const svc = await started;
    const h = http(svc.server);
    const bills = (await h.ops('GET', '/bills?account=1001')).json.bills as any[];
    const periods = bills.map((b) => b.period).sort();
    expect(periods.at(-1)).toBe(latest);
    expect(periods).toHaveLength(3);
    const open = bills.find((b) => b.period === latest);
    expect(open.balance).toBeGreaterThan(0);

    const s = h.ussd(JANE);
    await s.dial();
    await s.input('2');
    await s.input('1');
    s.expectScreen(`balance KES ${open.balance.toLocaleString('en-US')}`);
    await s.input('1');
    s.expectScreen('2. Confirm');
    await s.input('2');
    s.expectEnd('Enter your M-Pesa PIN');
    const [prompt] = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(JANE)}`)).json;
    expect(prompt.reference).toBe(`PAY-1001-${latest.replace('-', '')}-1`);
    expect((await h.call('POST', `/dev/stk/${prompt.reference}/pin`, { pin: '1234' })).json.state).toBe('COMPLETE');
    const paid = (await h.ops('GET', '/bills?account=1001')).json.bills.find((b: any) => b.id === open.id);
    expect(paid).toMatchObject({ balance: 0, status: 'paid' });
  });
});
