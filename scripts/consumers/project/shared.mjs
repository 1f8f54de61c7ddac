// What the consumer checks share: a three-hop session over HTTP, and an app whose menu code throws.
import { createMenu, createUssdApp, memorySessionStore } from '@rolax/ussd-core';
import { ussdTester } from '@rolax/ussd-core/testing';

export const form = (fields) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

export const json = (fields) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(fields),
});

export async function threeHops(url) {
  const s = ussdTester({ url }).session();
  await s.dial();
  s.expectScreen('Scenario\n1. Balance');
  await s.input('1');
  s.expectScreen('Account number');
  await s.input('1001');
  s.expectEnd('Account 1001: KES 2002');
}

export const gatewayFields = { sessionId: 'ATUid_c1', phoneNumber: '+254711000111', serviceCode: '*384#', text: '1' };

export function brokenApp() {
  const m = createMenu();
  const store = memorySessionStore();
  const app = createUssdApp({
    store: { ...store, dispose: async () => void app.disposed++ },
    menu: m.define({
      id: 'broken',
      version: 1,
      initialContext: () => ({}),
      start: 'home',
      screens: {
        home: m.step({
          targets: ['done'],
          run: async () => {
            throw new Error('menu bug');
          },
        }),
        done: m.end({ text: 'Done' }),
      },
    }),
  });
  app.disposed = 0;
  return app;
}
