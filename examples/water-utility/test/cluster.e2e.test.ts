// `npm run start:cluster` serves the whole demo through its balancer: a USSD session whose hops land on several
// nodes, an M-Pesa payment (prompt pushed by one node, answered at the shared fakes, webhook to any node), the
// receipt SMS, the simulator page; and SIGTERM takes every process of it down.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort } from '../src/cluster/launch.js';
import { json, postHop, traffic } from './cluster-harness.js';
import { eventually } from './harness.js';

const ROOT = join(import.meta.dirname, '../../..');
const JANE = '+254711000111';

/** Gone, or a zombie waiting to be reaped (it runs nothing any more). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

/** The processes of a group still running (not zombies): the npm wrappers and all the cluster started. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid pgrp ...
      const [state, , pgrp] = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
    } catch {
      // Exited while listing.
    }
  }
  return members;
}

function banner(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('stops everything')) resolve(out);
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`start:cluster exited early (${code}):\n${out}`)));
  });
}

it('serves the whole demo through the balancer and stops every process on SIGTERM', { timeout: 150_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolax-cluster-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const { DATABASE_URL: _d, HOST: _h, ...env } = process.env;
  const child = spawn('npm', ['run', 'start:cluster'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), CLUSTER_DIR: dir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const text = await banner(child);
    const lb = `http://127.0.0.1:${port}`;
    expect(text).toContain(`balancer   http://localhost:${port}`);
    const pid = (name: string) => Number(new RegExp(`${name}\\s+\\S+\\s+pid (\\d+)`).exec(text)?.[1]);
    const pids = {
      main: Number(/kill (\d+)\) stops everything/.exec(text)?.[1]),
      'node-1': pid('node-1'),
      'node-2': pid('node-2'),
      'node-3': pid('node-3'),
      gateways: pid('gateways'),
      postgres: pid('postgres'),
    };
    for (const p of Object.values(pids)) expect(p).toBeGreaterThan(0);
    const gatewaysUrl = /gateways\s+(http:\/\/\S+)/.exec(text)![1]!;

    // A bill payment whose hops go round the nodes.
    const nodes = new Set<string | null>();
    const screens: string[] = [];
    for (const input of ['', '2', '2*1', '2*1*1', '2*1*1*2']) {
      const answer = await postHop(lb, 'cluster-demo', JANE, input);
      expect(answer.status).toBe(200);
      nodes.add(answer.node);
      screens.push(answer.body);
    }
    expect(screens[0]).toMatch(/^CON rolax Water\n1\. Check water use/);
    expect(screens[4]).toMatch(/^END Enter your M-Pesa PIN/);
    expect(nodes.size).toBeGreaterThanOrEqual(2);

    // The prompt is on the phone, whichever node pushed it: at the fakes and through any node.
    const [prompt] = (await json(`${gatewaysUrl}/dev/stk?phone=${encodeURIComponent(JANE)}`)).body;
    expect(prompt).toMatchObject({ reference: expect.stringMatching(/^PAY-1001-/), amount: expect.any(Number) });
    const seen = await Promise.all([1, 2, 3].map(() => json(`${lb}/dev/stk?phone=${encodeURIComponent(JANE)}`)));
    expect(new Set(seen.map((s) => s.node)).size).toBe(3);
    for (const s of seen) expect(s.body).toEqual([prompt]);

    // The customer enters the PIN (through the balancer, as the simulator page does); the webhook reaches a node.
    const pin = await json(`${lb}/dev/stk/${prompt.reference}/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pin: '1234' }),
    });
    expect(pin.body).toEqual({ reference: prompt.reference, state: 'COMPLETE' });
    const delivered = (await traffic(gatewaysUrl)).webhooks.find((w) => w.state === 'COMPLETE');
    expect(delivered?.answers.at(-1)).toBe(200);
    await eventually(async () => {
      const inbox = (await json(`${lb}/dev/sms?to=${encodeURIComponent(JANE)}`)).body as { text: string }[];
      expect(inbox.filter((m) => m.text.includes('received for a/c 1001'))).toHaveLength(1);
    }, 15_000);

    const page = await fetch(`${lb}/simulator`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('page.js');
    expect((await json(`${lb}/dev/customers`)).body.customers.length).toBeGreaterThan(0);

    // SIGTERM to the cluster's own process (the npm wrappers in front of it need not pass it on).
    process.kill(pids.main, 'SIGTERM');
    expect(await exited).toBe(0);
    await eventually(async () => {
      for (const [name, p] of Object.entries(pids)) expect(gone(p), `${name} (pid ${p})`).toBe(true);
      expect(groupMembers(child.pid!)).toEqual([]);
    }, 10_000);
  } finally {
    if (groupMembers(child.pid!).length > 0) process.kill(-child.pid!, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
