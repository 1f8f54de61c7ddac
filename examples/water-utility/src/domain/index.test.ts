import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { seedDemoData } from '../db/seed.js';
import { memoryRepos, outboxRows, testClock } from '../db/test-support.js';
import { accountsForPhone } from './accounts.js';
import { createWaterServices } from './index.js';

describe('createWaterServices', () => {
  it('wires the services from the configuration, end to end on the demo data', async () => {
    const clock = testClock('2026-11-27T18:00:00.000Z');
    const repos = memoryRepos(clock);
    await seedDemoData(repos, { now: clock.now });
    const config = loadConfig({ OPS_PHONES: '+254700999888' });
    const services = createWaterServices({ repos, config, now: clock.now });

    const summaries = await accountsForPhone(repos, '+254711000111');
    expect(summaries.map((s) => [s.account.number, s.oldestUnpaid?.period])).toEqual([
      ['1001', '2026-10'],
      ['1002', '2026-10'],
    ]);
    const owed = summaries[0]?.balance ?? 0;

    const started = await services.payments.startBillPayment({ account: '1001', phone: '+254711000111' });
    expect(started).toMatchObject({ ok: true, payment: { amount: owed, reference: 'PAY-1001-202610-1' } });
    if (!started.ok) return;
    await services.payments.applyPaymentEvent({
      providerId: 'INV1',
      reference: started.payment.reference,
      state: 'COMPLETE',
      rawState: 'COMPLETE',
      providerReference: 'SKL0TEST01',
    });
    expect((await accountsForPhone(repos, '+254711000111'))[0]).toMatchObject({ balance: 0, oldestUnpaid: null });

    const sms = await services.smsCommands.handleIncomingSms({
      id: 'ATXid_9',
      from: '+254733000333',
      text: '3001#presha ndogo',
    });
    // 3001 already has an open low-pressure issue (acknowledged): the report is folded into it.
    expect(sms).toMatchObject({ outcome: 'issue_reported', created: false });
    const rows = outboxRows(repos);
    expect(rows.map((r) => r.to[0])).toEqual(['+254711000111', '+254733000333', '+254700999888']);
    expect(rows[1]?.text).toContain('Presha ndogo');
  });
});
