// Every way an operator may fill in the environment either starts a service that works or stops with one clear
// line per problem: never a TypeError from half a configuration.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUssdError } from '@rolax/ussd-core';
import { fakeAfricasTalking, fakeIntaSend } from '@rolax/ussd-core/fakes';
import { ussdTester } from '@rolax/ussd-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startWaterServer } from '../src/server.js';
import { eventually } from './harness.js';

const sms = fakeAfricasTalking();
const pay = fakeIntaSend();
const urls = { sms: '', payments: '' };
const AT = { AT_USERNAME: sms.username, AT_API_KEY: sms.apiKey };
const INTASEND = {
  INTASEND_PUBLISHABLE_KEY: pay.publishableKey,
  INTASEND_SECRET_KEY: pay.secretKey,
  INTASEND_WEBHOOK_CHALLENGE: pay.challenge,
};
const OPS = { OPS_TOKEN: 'ops-token-0123456789abcdef', OPS_PHONES: '+254700000009' };
const TOKEN = { CALLBACK_TOKEN: 'cb-token-0123456789abcdef' };

type Env = Record<string, string>;
/** Each case: the environment, and either `starts` or the variables each problem line must name, in order. */
const matrix: { name: string; env: Env; starts?: true; problems?: string[] }[] = [
  { name: 'demo, nothing set', env: {}, starts: true },
  { name: 'demo with an ops token and phones', env: { ...OPS }, starts: true },
  { name: 'demo with only a sender id (ignored, warned)', env: { AT_SMS_FROM: 'ROLAX' }, starts: true },
  { name: 'both providers, token, callback token', env: { ...AT, ...INTASEND, ...OPS, ...TOKEN }, starts: true },
  {
    name: 'both providers, IP allow-list',
    env: { ...AT, ...INTASEND, ...OPS, CALLBACK_ALLOWED_IPS: '127.0.0.1, 10.0.0.0/8' },
    starts: true,
  },
  {
    name: 'both providers, open callbacks accepted explicitly',
    env: { ...AT, ...INTASEND, ...OPS, ALLOW_OPEN_CALLBACKS: 'true' },
    starts: true,
  },
  {
    name: "Africa's Talking only",
    env: { ...AT, ...OPS, ...TOKEN },
    problems: ['INTASEND_PUBLISHABLE_KEY, INTASEND_SECRET_KEY, INTASEND_WEBHOOK_CHALLENGE'],
  },
  { name: 'IntaSend only', env: { ...INTASEND, ...OPS, ...TOKEN }, problems: ['AT_USERNAME, AT_API_KEY'] },
  {
    name: 'AT username without key',
    env: { AT_USERNAME: 'x', ...INTASEND, ...OPS, ...TOKEN },
    problems: ['AT_API_KEY'],
  },
  {
    name: 'IntaSend secret without the rest',
    env: { ...AT, INTASEND_SECRET_KEY: pay.secretKey, ...OPS, ...TOKEN },
    problems: ['INTASEND_PUBLISHABLE_KEY, INTASEND_WEBHOOK_CHALLENGE'],
  },
  { name: 'live without ops token', env: { ...AT, ...INTASEND, ...TOKEN }, problems: ['OPS_TOKEN'] },
  {
    name: 'live with open callbacks',
    env: { ...AT, ...INTASEND, ...OPS },
    problems: ['CALLBACK_TOKEN, CALLBACK_ALLOWED_IPS'],
  },
  {
    name: 'live, nothing but one key',
    env: { AT_API_KEY: 'k' },
    problems: ['AT_USERNAME', 'INTASEND_PUBLISHABLE_KEY', 'OPS_TOKEN', 'CALLBACK_TOKEN'],
  },
  {
    name: 'a bad allow-list entry',
    env: { ...AT, ...INTASEND, ...OPS, CALLBACK_ALLOWED_IPS: '10.0.0.1, nonsense' },
    problems: ['CALLBACK_ALLOWED_IPS'],
  },
  {
    name: 'open callbacks flag that is not a boolean',
    env: { ...AT, ...INTASEND, ...OPS, ALLOW_OPEN_CALLBACKS: 'maybe' },
    problems: ['ALLOW_OPEN_CALLBACKS', 'CALLBACK_TOKEN'],
  },
];

function problemsOf(env: Env): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(isUssdError(err, 'CONFIG')).toBe(true);
    return (err as { details: { problems: string[] } }).details.problems;
  }
  return [];
}

describe('the configuration matrix', () => {
  const dirs: string[] = [];
  beforeAll(async () => {
    urls.sms = await sms.start();
    urls.payments = await pay.start();
  });
  afterAll(async () => {
    await Promise.all([sms.close(), pay.close()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const c of matrix.filter((m) => m.problems)) {
    it(`stops with one line per problem: ${c.name}`, () => {
      const problems = problemsOf(c.env);
      expect(problems).toHaveLength(c.problems!.length);
      expect(problems.map((p, i) => p.startsWith(c.problems![i]!))).toEqual(c.problems!.map(() => true));
    });
  }

  for (const c of matrix.filter((m) => m.starts)) {
    it(`starts and serves a customer: ${c.name}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rolax-matrix-'));
      dirs.push(dir);
      const config = loadConfig({ ...c.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent' });
      const server = await startWaterServer(config, { providerUrls: config.demo ? undefined : urls });
      try {
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        const prefix = config.callbackToken ? `/${config.callbackToken}` : '';
        const phone = config.demo ? '+254711000111' : '+254733000333';
        if (!config.demo) {
          // A live service starts empty: onboard one customer through the operations API.
          const res = await fetch(`${server.url}/ops/customers`, {
            method: 'POST',
            headers: { authorization: `Bearer ${config.ops.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              customers: [
                {
                  code: 'C-1',
                  name: 'Asha Mwangi',
                  phones: [phone],
                  accounts: [{ number: '5001', name: 'Asha Mwangi', zone: 'Z', location: 'L', phones: [], meters: [] }],
                },
              ],
            }),
          });
          expect(res.status).toBe(200);
        }
        const s = ussdTester({ url: `${server.url}${prefix}/ussd` }).session({ phoneNumber: phone });
        await s.dial();
        s.expectScreen('Report an issue');
        // A report texts the reporter: through the fake in demo mode, through the configured gateway otherwise.
        await s.input('3');
        if (/Choose account/.test(s.last!.text)) await s.input('1');
        await s.input('1');
        await s.input('0');
        s.expectEnd(/R-\d{6}/);
        const inbox = () => (config.demo ? server.fakes!.sms.messagesTo(phone) : sms.messagesTo(phone));
        await eventually(async () => expect(inbox().length).toBeGreaterThan(0));
      } finally {
        await server.close();
      }
    });
  }

  it('the real start command prints the problems and exits 1, with no stack trace', async () => {
    const env = { ...process.env, ...AT, ...OPS, ...TOKEN, DATA_DIR: mkdtempSync(join(tmpdir(), 'rolax-matrix-')) };
    dirs.push(env.DATA_DIR);
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile('npx', ['tsx', 'src/main.ts'], { cwd: join(import.meta.dirname, '..'), env }, (err) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr: child.stderr?.read?.() ?? '' }),
      );
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('INTASEND_PUBLISHABLE_KEY');
    expect(result.stderr).not.toMatch(/TypeError|\bat \w+ \(/);
  }, 30_000);
});

describe('the callback allow-list', () => {
  it('refuses callers outside it with a 403, and believes X-Forwarded-For only from a trusted proxy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolax-matrix-'));
    const env = {
      ...OPS,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      CALLBACK_ALLOWED_IPS: '10.0.0.0/8',
    };
    const hop = new URLSearchParams({
      sessionId: 's1',
      phoneNumber: '+254711000111',
      serviceCode: '*384*123#',
      text: '',
    });
    const post = (url: string, forwarded?: string) =>
      fetch(`${url}/ussd`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
        },
        body: hop.toString(),
      });
    const behindProxy = await startWaterServer(loadConfig(env));
    const direct = await startWaterServer(loadConfig({ ...env, TRUST_PROXY: '192.0.2.1' }));
    try {
      expect((await post(behindProxy.url)).status).toBe(403);
      expect((await post(behindProxy.url, '10.1.2.3')).status).toBe(200);
      expect((await post(direct.url, '10.1.2.3')).status).toBe(403);
      expect((await fetch(`${direct.url}/healthz`)).status).toBe(200);
    } finally {
      await Promise.all([behindProxy.close(), direct.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
