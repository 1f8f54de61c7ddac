// The web-standard handler with Node's own Request and Response, as Hono, Next.js, Bun or Workers would call it.
import assert from 'node:assert/strict';
import { createWebHandler } from '@rolax/ussd-core/http';
import { scenarioApp } from '@rolax/ussd-core/testing';
import { gatewayFields } from './shared.mjs';

const handler = createWebHandler(scenarioApp().app);
const screens = [];
for (const text of ['', '1', '1*1001']) {
  const res = await handler(
    new Request('https://ussd.example/callback', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...gatewayFields, sessionId: 'ATUid_web', text }),
    }),
  );
  assert.ok(res instanceof Response);
  assert.equal(res.status, 200);
  screens.push(await res.text());
}
assert.deepEqual(screens, ['CON Scenario\n1. Balance', 'CON Account number', 'END Account 1001: KES 2002']);
