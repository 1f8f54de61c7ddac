// node:test, no vitest anywhere: the tester drives a menu, the fakes stand in for Africa's Talking and IntaSend.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { africasTalkingSms } from '@rolax/ussd-core/providers';
import { fakeAfricasTalking, fakeIntaSend, scenarioApp, ussdTester } from '@rolax/ussd-core/testing';

test('a customer checks a balance in three hops', async () => {
  const s = ussdTester(scenarioApp().app).session({ phoneNumber: '+254711000111' });
  await s.dial();
  s.expectScreen('Scenario');
  await s.input('1');
  s.expectScreen('Account number');
  await s.input('1001');
  s.expectEnd('Account 1001: KES 2002');
});

test("an SMS reaches the phone through the Africa's Talking fake", async () => {
  const fake = fakeAfricasTalking();
  await fake.start();
  after(() => fake.close());
  const sms = africasTalkingSms({ username: fake.username, apiKey: fake.apiKey, baseUrl: fake.url, retryBaseMs: 1 });
  await sms.send({ to: ['+254711000111'], text: 'Paid' }, { idempotencyKey: 'k1' });
  assert.deepEqual(
    fake.messagesTo('+254711000111').map((m) => m.text),
    ['Paid'],
  );
});

test('the IntaSend fake starts and stops', async () => {
  const fake = fakeIntaSend();
  await fake.start();
  assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+/);
  await fake.close();
});
