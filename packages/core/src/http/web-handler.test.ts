import { describe, expect, it } from 'vitest';
import { scenarioApp } from '../testing/scenario-app.js';
import { createWebHandler } from './web-handler.js';

const form = (fields: Record<string, string>) =>
  new Request('http://localhost/ussd', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });

describe('createWebHandler', () => {
  it("serves a three-hop session to Node's own Request and Response", async () => {
    const handler = createWebHandler(scenarioApp().app);
    const base = { sessionId: 'ATUid_web', phoneNumber: '+254711000111', serviceCode: '*384#' };
    const screens: string[] = [];
    for (const text of ['', '1', '1*1001']) {
      const res = await handler(form({ ...base, text }));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      screens.push(await res.text());
    }
    expect(screens).toEqual(['CON Scenario\n1. Balance', 'CON Account number', 'END Account 1001: KES 2002']);
  });

  it('reads a JSON body like a form, and names a missing field', async () => {
    const handler = createWebHandler(scenarioApp().app);
    const json = (body: unknown) =>
      handler(
        new Request('http://localhost/ussd', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    const ok = await json({ sessionId: 'ATUid_j', phoneNumber: '+254711000111', serviceCode: '*384#', text: '' });
    expect(await ok.text()).toBe('CON Scenario\n1. Balance');
    const bad = await json({ phoneNumber: '+254711000111', serviceCode: '*384#' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/sessionId is missing/);
  });

  it('refuses other methods, oversized bodies, and callers off the allow-list or with no known address', async () => {
    const fields = { sessionId: 'ATUid_x', phoneNumber: '+254711000111', serviceCode: '*384#' };
    const handler = createWebHandler(scenarioApp({ allowedIps: ['196.201.214.1'] }).app, { bodyLimit: 256 });
    expect((await handler(new Request('http://localhost/ussd'))).status).toBe(405);
    expect((await handler(form({ ...fields, text: '1'.repeat(300) }), { remoteAddress: '196.201.214.1' })).status).toBe(
      413,
    );
    expect((await handler(form(fields))).status).toBe(403);
    const forged = form(fields);
    forged.headers.set('x-forwarded-for', '196.201.214.1');
    expect((await handler(forged, { remoteAddress: '10.0.0.9' })).status).toBe(403);
    expect((await handler(form(fields), { remoteAddress: '196.201.214.1' })).status).toBe(200);
  });
});
