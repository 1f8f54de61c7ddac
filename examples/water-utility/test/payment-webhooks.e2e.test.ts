import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, startService } from './harness.js';

const JANE = '+254711000111';

// IntaSend's webhooks as the service's own endpoint receives them from the fake: duplicated, out of order and
// redelivered. The service's ranking (PENDING < PROCESSING < COMPLETE | FAILED) decides what is applied.
describe('payment webhooks through the service', () => {
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

  /** Jane asks to pay KES 100 on one of her accounts (1: 1001, 2: 1002); returns the prompt's reference. */
  async function push(accountChoice: '1' | '2'): Promise<string> {
    const s = h.ussd(JANE);
    await s.dial();
    await s.input('2');
    await s.input(accountChoice);
    await s.input('2');
    s.expectScreen('Enter amount');
    await s.input('100');
    await s.input('2');
    s.expectEnd('Enter your M-Pesa PIN');
    const prompts = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(JANE)}`)).json as any[];
    expect(prompts).toHaveLength(1);
    return prompts[0].reference;
  }
  const fakes = () => svc.server.fakes!.payments;
  const applied = async (reference: string) =>
    (await svc.server.repos.payments.history(reference)).filter((e) => e.applied).map((e) => e.toState);
  const received = async (reference: string) => (await svc.server.repos.payments.history(reference)).length;
  const receipts = async (reference: string) =>
    (await h.smsTo(JANE)).filter((m) => m.text.includes('received') && m.text.includes(reference.split('-')[1]!));
  const billOf = async (reference: string) => {
    const payment = await svc.server.repos.payments.getByReference(reference);
    return (await h.ops('GET', `/bills?account=${payment!.account}`)).json.bills.find(
      (b: any) => b.id === payment!.billId,
    );
  };

  it('applies PROCESSING then COMPLETE once each, however often each arrives', async () => {
    const reference = await push('1');
    const before = await billOf(reference);
    fakes().webhookFaults({ duplicates: 2 });
    await h.call('POST', `/dev/stk/${reference}/pin`, { pin: '1234' });
    fakes().webhookFaults({});
    await eventually(async () => expect(await received(reference)).toBe(7));
    expect(await applied(reference)).toEqual(['PENDING', 'PROCESSING', 'COMPLETE']);
    expect(await svc.server.repos.payments.getByReference(reference)).toMatchObject({
      state: 'COMPLETE',
      paidAmount: 100,
    });
    expect(await billOf(reference)).toMatchObject({ paid: before.paid + 100, balance: before.balance - 100 });
    await eventually(async () => expect(await receipts(reference)).toHaveLength(1));
  });

  it('lets a COMPLETE that arrives first stand: the late PROCESSING and every redelivery change nothing', async () => {
    const reference = await push('2');
    const before = await billOf(reference);
    fakes().webhookFaults({ outOfOrder: true });
    await h.call('POST', `/dev/stk/${reference}/pin`, { pin: '1234' });
    fakes().webhookFaults({});
    await eventually(async () => expect(await received(reference)).toBe(3));
    await fakes().redeliver(reference);
    await eventually(async () => expect(await received(reference)).toBe(5));
    expect(await applied(reference)).toEqual(['PENDING', 'COMPLETE']);
    expect(await billOf(reference)).toMatchObject({ paid: before.paid + 100, balance: before.balance - 100 });
    await eventually(async () => expect(await receipts(reference)).toHaveLength(1));
  });

  it('keeps a FAILED payment failed when its earlier states are redelivered', async () => {
    const reference = await push('1');
    const before = await billOf(reference);
    await h.call('POST', `/dev/stk/${reference}/cancel`, {});
    await eventually(async () => expect(await applied(reference)).toEqual(['PENDING', 'FAILED']));
    const count = await received(reference);
    await fakes().redeliver(reference, ['PROCESSING', 'PENDING']);
    await fakes().redeliver(reference);
    expect(await received(reference)).toBeGreaterThan(count);
    expect(await applied(reference)).toEqual(['PENDING', 'FAILED']);
    expect(await svc.server.repos.payments.getByReference(reference)).toMatchObject({ state: 'FAILED' });
    expect(await billOf(reference)).toMatchObject({ paid: before.paid, balance: before.balance });
  });
});
