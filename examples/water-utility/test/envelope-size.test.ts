import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from './harness.js';

// What one session of the water menu costs in the session store. The heaviest walk there is: the phone with two
// accounts (both kept in the context) goes round My account -> account -> language -> English -> home until `0`
// has ten screens to go back to. The size depends on the data and the texts only, not on timing.
describe('the water menu session envelope', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(async () => {
    await svc.server.close();
    svc.removeData();
  });

  it('stays within 1 KB with ten screens of history', async () => {
    const app = svc.server.ussd;
    const turn = {
      kind: 'path' as const,
      provider: 'africastalking',
      sessionId: 'envelope-size',
      phoneNumber: '+254711000111',
      serviceCode: '*384*1#',
      networkCode: '63902',
    };
    const stored = async () => (await app.store.get(`ussd:${app.machineId}:africastalking:${turn.sessionId}`)) ?? '';
    const depth = async () => (await app.inspect(turn.sessionId))?.envelope.history.length;

    let path = '';
    expect((await app.handle({ ...turn, path })).body).toMatch(/^CON rolax Water\n/);
    const sizes: { depth: number | undefined; bytes: number }[] = [];
    for (const input of '4 1 9 1 4 1 9 1 4 1 9 1'.split(' ')) {
      path = path === '' ? input : `${path}*${input}`;
      await app.handle({ ...turn, path });
      sizes.push({ depth: await depth(), bytes: Buffer.byteLength(await stored()) });
    }
    const atTen = sizes.filter((s) => s.depth === 10);
    expect(atTen.length).toBe(3);
    for (const s of atTen) expect(s.bytes).toBeLessThanOrEqual(1024);

    // The history is usable: back goes to the screens before, 00 to the oldest one kept (the third screen).
    const next = async (input: string) => {
      path += `*${input}`;
      return (await app.handle({ ...turn, path })).body.split('\n')[0];
    };
    expect(await next('0')).toBe('CON Choose language:');
    expect(await next('0')).toBe('CON Acc 1001: Wanjiku Kamau - Home');
    expect(await next('0')).toBe('CON Choose account:');
    expect(await next('00')).toBe('CON Acc 1001: Wanjiku Kamau - Home');
    expect(await depth()).toBe(0);
  });
});
