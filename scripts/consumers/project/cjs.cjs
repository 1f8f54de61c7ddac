// Every entry a CommonJS service can require, with no test runner installed.
const assert = require('node:assert/strict');
const { statSync } = require('node:fs');
const core = require('@rolax/ussd-core');
const { scenarioApp, ussdTester, exploreMenu, fakeAfricasTalking } = require('@rolax/ussd-core/testing');
const { fakeIntaSend } = require('@rolax/ussd-core/fakes');
const { createWebHandler } = require('@rolax/ussd-core/http');
const { africasTalkingSms, intasendPayments, parseIncomingSms } = require('@rolax/ussd-core/providers');
const { createSmsOutbox, memoryOutboxStore } = require('@rolax/ussd-core/outbox');
const { redisSessionStore } = require('@rolax/ussd-core/redis');
const { measureBody, paginate } = require('@rolax/ussd-core/budget');
const { lintMenu, menuToMermaid } = require('@rolax/ussd-core/menu-tools');
const { combineObservers, createMenuFunnel } = require('@rolax/ussd-core/observe');
const { createUssdMiddleware } = require('@rolax/ussd-express');
const { ussdPlugin } = require('@rolax/ussd-fastify');

for (const fn of [
  core.createUssdApp,
  exploreMenu,
  fakeAfricasTalking,
  fakeIntaSend,
  createWebHandler,
  africasTalkingSms,
  intasendPayments,
  parseIncomingSms,
  createSmsOutbox,
  memoryOutboxStore,
  redisSessionStore,
  measureBody,
  paginate,
  lintMenu,
  menuToMermaid,
  combineObservers,
  createMenuFunnel,
]) {
  assert.equal(typeof fn, 'function');
}
assert.equal(typeof createUssdMiddleware, 'function');
assert.equal(typeof ussdPlugin, 'function');
// What moved to named entries is no longer in the main one.
assert.equal(core.africasTalkingSms, undefined);
assert.equal(core.redisSessionStore, undefined);
// The vitest suites live apart, and say so when vitest is missing.
assert.throws(() => require('@rolax/ussd-core/testing/vitest'), /vitest/);
assert.ok(!Object.keys(require.cache).some((f) => f.includes(`${require('node:path').sep}vitest`)));
// The testing entry reuses the engine's chunk rather than carrying a copy.
assert.ok(statSync(require.resolve('@rolax/ussd-core/testing')).size < 20_000);

(async () => {
  const s = ussdTester(scenarioApp().app).session();
  await s.dial();
  s.expectScreen('Scenario');
  await s.input('1');
  s.expectScreen('Account number');
  await s.input('1001');
  s.expectEnd('Account 1001: KES 2002');
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
