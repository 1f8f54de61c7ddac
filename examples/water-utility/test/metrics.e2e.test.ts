// A scripted day on the service, then one scrape of /metrics: each count must be what the day did. The Grafana
// dashboard in docs/ is checked against the same scrape.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, OPS_TOKEN, startService } from './harness.js';

const JANE = '+254711000111';
const OTIENO = '+254722000222';

/** Prometheus text as `name{labels}` -> value (exemplars and comments dropped). */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sample = line.split(' # ')[0] as string;
    const at = sample.lastIndexOf(' ');
    out.set(sample.slice(0, at), Number(sample.slice(at + 1)));
  }
  return out;
}

describe('metrics after a scripted day', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  let h: ReturnType<typeof http>;
  const scrape = async () => {
    const res = await h.call('GET', '/metrics', undefined, { authorization: `Bearer ${OPS_TOKEN}` });
    expect(res.status).toBe(200);
    return parse(res.text);
  };
  const delta = (before: Map<string, number>, after: Map<string, number>, key: string) =>
    (after.get(key) ?? 0) - (before.get(key) ?? 0);

  beforeAll(async () => {
    svc = await startService();
    h = http(svc.server);
  });
  afterAll(async () => {
    await svc.server.close();
    svc.removeData();
  });

  it('keeps /metrics behind the operations token', async () => {
    expect((await h.call('GET', '/metrics')).status).toBe(401);
    expect((await h.call('GET', '/metrics', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('counts dials, a paid bill, a cancelled payment, an SMS report and an SMS outage', async () => {
    const before = await scrape();
    let hops = 0;

    // Three customers dial and look around, then hang up on the home screen.
    for (const phone of [JANE, OTIENO, '+254733000333']) {
      const s = h.ussd(phone);
      await s.dial();
      hops++;
    }

    // Jane pays her 1001 bill in full.
    const paid = h.ussd(JANE);
    await paid.dial();
    for (const input of ['2', '1', '1', '2']) await paid.input(input);
    hops += 5;
    paid.expectEnd('Enter your M-Pesa PIN');
    const [prompt] = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(JANE)}`)).json;
    await h.call('POST', `/dev/stk/${prompt.reference}/pin`, { pin: '1234' });

    // ...and cancels a part payment on 1002.
    const cancelled = h.ussd(JANE);
    await cancelled.dial();
    for (const input of ['2', '2', '2', '100', '2']) await cancelled.input(input);
    hops += 6;
    cancelled.expectEnd('Enter your M-Pesa PIN');
    const pending = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(JANE)}`)).json;
    await h.call('POST', `/dev/stk/${pending[0].reference}/cancel`, {});

    // Otieno reports a leak by SMS.
    await h.incomingSms('ATXid_day_1', OTIENO, 'acc 2001 # Leak at the gate');
    await eventually(async () => expect((await scrape()).get('water_outbox_pending')).toBe(0), 10_000);

    // The SMS provider goes down: the next message waits in the outbox, attempted and counted.
    svc.server.fakes!.sms.failNext(Number.POSITIVE_INFINITY, 503);
    await h.incomingSms('ATXid_day_2', OTIENO, 'hello');
    const during = await eventually(async () => {
      const m = await scrape();
      expect(m.get('water_outbox_pending_attempts')).toBeGreaterThanOrEqual(1);
      return m;
    }, 10_000);
    expect(during.get('water_outbox_pending')).toBe(1);
    expect(during.get('water_outbox_oldest_pending_seconds')).toBeGreaterThan(0);
    // Every failed attempt of the waiting message was one provider call that failed.
    expect(delta(before, during, 'water_sms_send_results_total{status="error"}')).toBe(
      during.get('water_outbox_pending_attempts'),
    );
    svc.server.fakes!.sms.recover();
    await eventually(async () => expect((await scrape()).get('water_outbox_pending')).toBe(0), 15_000);

    const after = await scrape();
    expect(
      delta(
        before,
        after,
        'ussd_turns_total{gateway="africastalking",menu="rolax-water",version="2",outcome="ok",type="CON"}',
      ) +
        delta(
          before,
          after,
          'ussd_turns_total{gateway="africastalking",menu="rolax-water",version="2",outcome="ok",type="END"}',
        ),
    ).toBe(hops);
    expect(
      delta(
        before,
        after,
        'ussd_turn_duration_seconds_count{gateway="africastalking",menu="rolax-water",outcome="ok"}',
      ),
    ).toBe(hops);
    expect(delta(before, after, 'water_payments{state="COMPLETE"}')).toBe(1);
    expect(delta(before, after, 'water_payments{state="FAILED"}')).toBe(1);
    expect(delta(before, after, 'water_payment_requests_total{result="accepted"}')).toBe(2);
    expect(after.get('water_payment_settle_seconds_count{state="COMPLETE"}')).toBe(1);
    expect(after.get('water_payment_settle_seconds_count{state="FAILED"}')).toBe(1);
    expect(delta(before, after, 'water_issues_reported{category="leak",channel="sms"}')).toBe(1);
    // Sent today: the receipt, the cancellation notice, the leak confirmation and alert, the format help.
    expect(delta(before, after, 'water_sms_send_results_total{status="accepted"}')).toBe(5);
    expect(after.get('water_outbox_failed')).toBe(0);
    expect(after.has('process_cpu_user_seconds_total')).toBe(true);
    expect(after.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('queries only metrics the service exports in the Grafana dashboard', async () => {
    const text = (await h.call('GET', '/metrics', undefined, { authorization: `Bearer ${OPS_TOKEN}` })).text;
    const exported = new Set<string>();
    for (const line of text.split('\n')) {
      const type = /^# TYPE (\S+) (\S+)/.exec(line);
      if (type) {
        const [, name, kind] = type as unknown as [string, string, string];
        exported.add(name);
        if (kind === 'counter') exported.add(`${name}_total`);
        if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(`${name}${s}`);
      } else if (line && !line.startsWith('#')) {
        exported.add(line.split(/[{ ]/)[0] as string);
      }
    }
    const dashboard = JSON.parse(
      readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
    );
    const exprs: string[] = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    // Metric names in PromQL: identifiers followed by a selector, a range or an operator, minus functions,
    // keywords and label names inside braces or by()/ignoring() lists.
    const functions = new Set(['sum', 'rate', 'increase', 'histogram_quantile', 'max', 'by', 'ignoring', 'le']);
    const named = new Set<string>();
    for (const expr of exprs) {
      const bare = expr
        .replace(/\{[^}]*\}/g, '')
        .replace(/\b(by|ignoring)\s*\([^)]*\)/g, '')
        .replace(/\[[^\]]*\]/g, '');
      for (const m of bare.matchAll(/(?<![0-9.])[a-z_][a-z0-9_]*/g)) if (!functions.has(m[0])) named.add(m[0]);
    }
    expect(named.size).toBeGreaterThan(15);
    expect([...named].filter((n) => !exported.has(n))).toEqual([]);
  });
});
