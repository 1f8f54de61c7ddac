// @ts-nocheck
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startService } from './harness.js';

const PHONE = '+254722000222';

describe('a late re-send of an earlier hop, over HTTP in demo mode', () => {
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

  it('sends no M-Pesa push and leaves the session where it was', async () => {
    const hop = async (text: string) =>
      (
        await h.call(
          'POST',
          '/ussd',
          new URLSearchParams({ sessionId: 'ATUid_stale1', phoneNumber: PHONE, serviceCode: '*384*123#', text }),
        )
      ).text;
    const replies: Record<string, string> = {};
    for (const text of ['', '1', '1*0', '1*0*2', '1*0*2*1']) replies[text] = await hop(text);
    expect(replies['1*0*2*1']).toMatch(/^CON /);
    expect(replies['1*0*2*1']).toContain('Confirm');

    const late = await hop('1');
    expect(late).toBe(replies['1']);
    const prompts = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(PHONE)}`)).json;
    expect(prompts).toHaveLength(0);
    // The session still rests on the Confirm screen: a retry of the last real hop replays it.
    expect(await hop('1*0*2*1')).toBe(replies['1*0*2*1']);
  });
});
