// SMS delivery is at least once: a process killed with -9 during a burst loses nothing, and sends again at most
// the messages that were in flight (accepted by the gateway, not yet recorded as sent).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeAfricasTalking, fakeIntaSend } from '@rolax/ussd-core/fakes';
import { afterAll, expect, it } from 'vitest';
import { eventually } from './harness.js';

const N = 40;
/** The outbox sends this many at once: the most a crash can leave sent but unrecorded. */
const IN_FLIGHT = 4;

const sms = fakeAfricasTalking();
const pay = fakeIntaSend();
const dir = mkdtempSync(join(tmpdir(), 'rolax-kill9-'));
afterAll(async () => {
  await Promise.all([sms.close(), pay.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function startChild(burst: number): Promise<ChildProcess> {
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    AT_USERNAME: sms.username,
    AT_API_KEY: sms.apiKey,
    INTASEND_PUBLISHABLE_KEY: pay.publishableKey,
    INTASEND_SECRET_KEY: pay.secretKey,
    INTASEND_WEBHOOK_CHALLENGE: pay.challenge,
    OPS_TOKEN: 'ops-token-0123456789abcdef',
    CALLBACK_TOKEN: 'cb-token-0123456789abcdef',
    PROVIDER_URLS: JSON.stringify({ sms: sms.url, payments: pay.url }),
    BURST: String(burst),
  };
  const child = spawn('npx', ['tsx', 'test/fixtures/sms-burst-service.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`service exited early (${code})`)));
  });
}

it('loses nothing and duplicates at most the messages in flight', { timeout: 90_000 }, async () => {
  await Promise.all([sms.start(), pay.start()]);
  // A slow gateway: each message is accepted, then answered 150 ms later, so a kill lands inside the window.
  sms.delay(150);
  const first = await startChild(N);
  await eventually(async () => expect(sms.sent.length).toBeGreaterThanOrEqual(10), 20_000);
  const killedAfter = sms.sent.length;
  // `npx` runs the service as its child: kill the whole process group with SIGKILL.
  process.kill(-first.pid!, 'SIGKILL');
  await new Promise((r) => first.once('exit', r));
  sms.recover();

  const second = await startChild(0);
  try {
    await eventually(async () => expect(new Set(sms.sent.map((m) => m.text)).size).toBe(N), 30_000);
    const counts = new Map<string, number>();
    for (const m of sms.sent) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
    const duplicates = sms.sent.length - N;
    process.stdout.write(
      `kill -9: ${N} queued, ${killedAfter} accepted before the kill, ${sms.sent.length} accepted in all, ${duplicates} duplicates\n`,
    );
    expect([...counts.keys()]).toHaveLength(N);
    expect(duplicates).toBeLessThanOrEqual(IN_FLIGHT);
  } finally {
    process.kill(-second.pid!, 'SIGKILL');
  }
});
