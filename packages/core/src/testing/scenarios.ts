import { describe, expect, it } from 'vitest';
import type { UssdApp } from '../engine/app.js';
import { type MountedServer, scenarioApp } from './scenario-app.js';
import { ussdTester } from './tester.js';

/**
 * The behaviour every HTTP adapter must show, over real HTTP on loopback. `mount` serves the app at a URL.
 * Register inside a vitest file: `adapterScenarios('fastify', (app) => mountOnFastify(app))`.
 */
export function adapterScenarios(name: string, mount: (app: UssdApp) => Promise<MountedServer>): void {
  describe(`${name} adapter scenarios`, () => {
    it('serves a three-hop session', async () => {
      const { app } = scenarioApp();
      const server = await mount(app);
      try {
        const s = ussdTester({ url: server.url }).session();
        await s.dial();
        s.expectScreen('Scenario\n1. Balance');
        await s.input('1');
        s.expectScreen('Account number');
        await s.input('1001');
        s.expectEnd('Account 1001: KES 2002');
      } finally {
        await server.close();
      }
    });

    it('gives 200 concurrent sessions each their own final screen, none lost', async () => {
      const { app, calls } = scenarioApp();
      const server = await mount(app);
      try {
        const t = ussdTester({ url: server.url });
        const results = await Promise.all(
          Array.from({ length: 200 }, async (_, i) => {
            const s = t.session({ phoneNumber: `+2547110${String(i).padStart(5, '0')}` });
            await s.dial();
            await s.input('1');
            const account = String(1000 + i);
            const r = await s.input(account);
            return { r, account, sessionId: s.sessionId };
          }),
        );
        for (const { r, account } of results) {
          expect(r.body).toBe(`END Account ${account}: KES ${Number(account) * 2}`);
        }
        expect(calls.size).toBe(200);
        expect([...calls.values()].every((n) => n === 1)).toBe(true);
      } finally {
        await server.close();
      }
    });

    it('answers a retried hop from the stored reply without running its side effect again', async () => {
      const { app, calls } = scenarioApp();
      const server = await mount(app);
      try {
        const s = ussdTester({ url: server.url }).session();
        await s.dial();
        await s.input('1');
        const first = await s.input('420');
        expect(first.body).toBe('END Account 420: KES 840');
        const [a, b] = await Promise.all([s.retry(), s.retry()]);
        expect(a.body).toBe(first.body);
        expect(b.body).toBe(first.body);
        expect(calls.get(s.sessionId)).toBe(1);
      } finally {
        await server.close();
      }
    });

    it('refuses an oversized body with a 4xx and no stack trace', async () => {
      const { app } = scenarioApp();
      const server = await mount(app);
      try {
        const res = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `sessionId=x&phoneNumber=%2B254711000111&serviceCode=*1%23&text=${'1'.repeat(40_000)}`,
        });
        // 413 when the adapter reads the body; 400 (text over 1000) when a body parser in front already did.
        expect([400, 413]).toContain(res.status);
        expect(await res.text()).not.toMatch(/\n\s+at /);
      } finally {
        await server.close();
      }
    });

    it('serves a JSON body exactly as it serves the same fields as a form', async () => {
      const { app } = scenarioApp();
      const server = await mount(app);
      try {
        const fields = { sessionId: 'ATUid_json', phoneNumber: '+254711000111', serviceCode: '*384*1#', text: '1' };
        const asJson = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...fields, sessionId: 'ATUid_json' }),
        });
        const asForm = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...fields, sessionId: 'ATUid_form' }).toString(),
        });
        expect(asJson.status).toBe(200);
        expect(await asJson.text()).toBe('CON Account number');
        expect(asForm.status).toBe(200);
        expect(await asForm.text()).toBe('CON Account number');
        const missing = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phoneNumber: fields.phoneNumber, serviceCode: fields.serviceCode }),
        });
        expect(missing.status).toBe(400);
        expect(await missing.text()).toMatch(/sessionId is missing/);
      } finally {
        await server.close();
      }
    });

    it('checks allowedIps against the connection, not a forged X-Forwarded-For, when no proxy is trusted', async () => {
      const dial = (url: string, forwardedFor: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
          body: new URLSearchParams({ sessionId: 'ATUid_ip', phoneNumber: '+254711000111', serviceCode: '*1#' }),
        });
      const closed = await mount(scenarioApp({ allowedIps: ['196.201.214.1'] }).app);
      try {
        const forged = await dial(closed.url, '196.201.214.1');
        expect(forged.status).toBe(403);
      } finally {
        await closed.close();
      }
      const open = await mount(scenarioApp({ allowedIps: ['127.0.0.1'] }).app);
      try {
        const res = await dial(open.url, '196.201.214.1');
        expect(res.status).toBe(200);
      } finally {
        await open.close();
      }
    });

    it('rejects malformed requests with 400 and a reason', async () => {
      const { app } = scenarioApp();
      const server = await mount(app);
      try {
        const post = (form: Record<string, string>) =>
          fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(form).toString(),
          });
        const ok = { sessionId: 'ATUid_1', phoneNumber: '+254711000111', serviceCode: '*384*1#', text: '' };
        const cases: [Record<string, string>, RegExp][] = [
          [{ ...ok, sessionId: '' }, /sessionId is empty/],
          [{ phoneNumber: ok.phoneNumber, serviceCode: ok.serviceCode }, /sessionId is missing/],
          [{ ...ok, phoneNumber: '' }, /phoneNumber is empty/],
          [{ ...ok, serviceCode: '' }, /serviceCode is empty/],
          [{ ...ok, sessionId: 'x'.repeat(129) }, /sessionId is longer than 128/],
          [{ ...ok, text: '1'.repeat(1001) }, /text is longer than 1000/],
        ];
        for (const [form, reason] of cases) {
          const res = await post(form);
          expect(res.status).toBe(400);
          expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
          expect(await res.text()).toMatch(reason);
        }
      } finally {
        await server.close();
      }
    });
  });
}
