// SIGTERM to the real service process in the middle of payment turns: the turns in flight finish and are kept,
// new requests are refused, and the process exits cleanly before its deadline.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ussdTester } from '@rolax/ussd-core/testing';
import { afterAll, expect, it } from 'vitest';
import { OPS_TOKEN } from './harness.js';

const APP = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'rolax-shutdown-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `npm start`'s entry point in a child process and waits for its "running" line. */
async function start(): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: APP,
    // A clean environment: the test runner's own variables (NODE_OPTIONS and the like) stay out of the child.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      OPS_TOKEN,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start line in 30 s:\n${out}`)), 30_000);
    // The service logs JSON lines to stderr; the start line carries the address.
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', () => reject(new Error(`exited before starting:\n${out}`)));
  });
  return { child, url, exited };
}

const ops = async (url: string, path: string) =>
  (await fetch(`${url}/ops${path}`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } })).json() as Promise<any>;

it('finishes the payment turns in flight on SIGTERM, refuses new work and exits 0', { timeout: 120_000 }, async () => {
  const svc = await start();
  // The M-Pesa push takes 1.5 s, so the confirming turns are still running when the signal arrives.
  await fetch(`${svc.url}/dev/providers/delay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ms: 1500 }),
  });
  const walks = [
    { phone: '+254711000111', inputs: ['2', '1', '1'] }, // Jane, account 1001
    // Jane again, account 1002: her first session rests on a resumable screen, so she starts over first.
    { phone: '+254711000111', inputs: ['2', '2', '2', '1'] },
    { phone: '+254722000222', inputs: ['2', '1'] }, // Otieno, account 2001
  ];
  const sessions = [];
  for (const w of walks) {
    const s = ussdTester({ url: `${svc.url}/ussd` }).session({ phoneNumber: w.phone });
    await s.dial();
    for (const input of w.inputs) await s.input(input);
    s.expectScreen('2. Confirm');
    sessions.push(s);
  }
  const confirming = sessions.map((s) => s.input('2'));
  await new Promise((r) => setTimeout(r, 300));
  const signalledAt = Date.now();
  svc.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  // New work is refused once the signal is in: no connection, or 503 on a kept-alive one.
  const late = await fetch(`${svc.url}/healthz`).then(
    (r) => r.status,
    () => 'refused',
  );
  expect(['refused', 503]).toContain(late);

  const replies = await Promise.all(confirming);
  for (const r of replies) {
    expect(r.type).toBe('END');
    expect(r.text).toContain('Enter your M-Pesa PIN');
  }
  expect(await svc.exited).toBe(0);
  expect(Date.now() - signalledAt).toBeLessThan(10_000);

  // Nothing was lost: after a restart every push is on record, waiting for its PIN.
  const again = await start();
  const pending = (await ops(again.url, '/payments?state=PENDING')).payments;
  const accounts = pending
    .filter((p: any) => p.providerId)
    .map((p: any) => p.account)
    .sort();
  expect(accounts).toEqual(['1001', '1002', '2001']);
  again.child.kill('SIGTERM');
  expect(await again.exited).toBe(0);
});
