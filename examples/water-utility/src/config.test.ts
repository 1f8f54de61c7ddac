import { isUssdError } from '@rolax/ussd-core';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from './config.js';
import { DEFAULT_TARIFF } from './domain/billing.js';

const live = {
  AT_USERNAME: 'rolaxwater',
  AT_API_KEY: 'atsk_0123456789abcdef0123456789abcdef',
  INTASEND_PUBLISHABLE_KEY: 'ISPubKey_live_4f1c2d3e',
  INTASEND_SECRET_KEY: 'ISSecretKey_live_9a8b7c6d',
  INTASEND_WEBHOOK_CHALLENGE: 'a-long-webhook-challenge',
  OPS_TOKEN: 'ops-token-0123456789abcdef',
  OPS_PHONES: '+254700111222, +254700333444',
  CALLBACK_TOKEN: 'callback-token-0123456789',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(isUssdError(error, 'CONFIG')).toBe(true);
    return (error as { details: { problems: string[] } }).details.problems;
  }
  throw new Error('expected a CONFIG error');
}

describe('loadConfig', () => {
  it('runs in demo mode with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      mode: 'demo',
      demo: true,
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      databaseFile: 'data/water.sqlite',
      africasTalking: null,
      intasend: null,
      ops: { tokenGenerated: true, phones: ['+254700000001'] },
      brand: { utilityName: 'rolax Water', contact: '0800 720 000', ussdCode: '*384*123#' },
      paths: {
        ussd: '/ussd',
        ussdEvents: '/ussd/events',
        smsIncoming: '/sms/incoming',
        smsDelivery: '/sms/delivery',
        intasendWebhook: '/payments/intasend/webhook',
      },
      tariff: DEFAULT_TARIFF,
      payments: { min: 10, max: 150_000 },
      billing: { dueDays: 14 },
      seedDemoData: true,
      logLevel: 'info',
    });
    expect(c.ops.token.length).toBeGreaterThanOrEqual(16);
    expect(loadConfig({}).ops.token).not.toBe(c.ops.token);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', AT_USERNAME: ' ', OPS_TOKEN: '' })).toMatchObject({ port: 3000, demo: true });
  });

  it('reads a full live configuration', () => {
    const c = loadConfig({
      ...live,
      PORT: '8080',
      DATA_DIR: '/var/lib/water',
      TARIFF: '{"fixedCharge":150,"blocks":[{"upTo":10,"price":40},{"upTo":null,"price":60}]}',
    });
    expect(c).toMatchObject({
      mode: 'live',
      port: 8080,
      databaseFile: '/var/lib/water/water.sqlite',
      africasTalking: { username: 'rolaxwater', sandbox: false, smsFrom: undefined },
      intasend: { sandbox: false, webhookChallenge: 'a-long-webhook-challenge' },
      ops: { token: live.OPS_TOKEN, tokenGenerated: false, phones: ['+254700111222', '+254700333444'] },
      tariff: { currency: 'KES', fixedCharge: 150 },
      seedDemoData: false,
    });
    expect(c.warnings).toEqual([]);
  });

  it('derives sandbox flags from the username and the keys', () => {
    const c = loadConfig({
      AT_USERNAME: 'sandbox',
      AT_API_KEY: 'k',
      INTASEND_PUBLISHABLE_KEY: 'ISPubKey_test_1',
      INTASEND_SECRET_KEY: 'ISSecretKey_test_1',
      INTASEND_WEBHOOK_CHALLENGE: 'challenge-1',
      OPS_TOKEN: 'x'.repeat(16),
      ALLOW_OPEN_CALLBACKS: 'true',
    });
    expect(c.africasTalking?.sandbox).toBe(true);
    expect(c.intasend?.sandbox).toBe(true);
  });

  it('lists every problem at once', () => {
    const list = problems({
      PORT: 'eighty',
      AT_API_KEY: 'secret-value-never-shown',
      INTASEND_SECRET_KEY: 'ISSecretKey_live_x',
      OPS_PHONES: '+254700111222,0712345678',
      PAYMENT_MIN: '500',
      PAYMENT_MAX: '100',
      LOG_LEVEL: 'loud',
      USSD_EVENTS_PATH: '/ussd',
      TARIFF: '{"fixedCharge":100}',
      CALLBACK_TOKEN: 'short',
    });
    const text = list.join('\n');
    expect(list.length).toBeGreaterThanOrEqual(9);
    expect(text).toContain('PORT: must be a whole number from 0 to 65535 (got "eighty")');
    expect(text).toContain('AT_USERNAME: required when AT_API_KEY is set');
    expect(text).toContain(
      'INTASEND_PUBLISHABLE_KEY, INTASEND_WEBHOOK_CHALLENGE: required when INTASEND_SECRET_KEY is set',
    );
    expect(text).toContain('OPS_TOKEN: required outside demo mode');
    expect(text).toContain('OPS_PHONES: not E.164');
    expect(text).toContain('PAYMENT_MIN: must not exceed PAYMENT_MAX');
    expect(text).toContain('LOG_LEVEL: must be one of');
    expect(text).toContain('USSD_EVENTS_PATH: same path as USSD_CALLBACK_PATH');
    expect(text).toContain('TARIFF: blocks');
    expect(text).toContain('CALLBACK_TOKEN: must be 16 or more');
    // Secrets and full phone numbers stay out of the message.
    expect(text).not.toContain('secret-value-never-shown');
    expect(text).not.toContain('0712345678');
  });

  it('puts all the problems in the error message, one per line', () => {
    expect(() => loadConfig({ PORT: '70000', HOST: '127.0.0.1', BILL_DUE_DAYS: '-3' })).toThrow(
      /Invalid configuration \(2 problems\):\n- PORT: must be at most 65535.*\n- BILL_DUE_DAYS: must be a whole number/,
    );
  });

  it('refuses mixed test and live keys and a contradicting sandbox flag', () => {
    const list = problems({
      ...live,
      INTASEND_PUBLISHABLE_KEY: 'ISPubKey_test_1',
      INTASEND_SANDBOX: 'false',
      AT_USERNAME: 'sandbox',
      AT_SANDBOX: 'no',
    });
    expect(list).toEqual([
      'INTASEND_SECRET_KEY: test and live keys are mixed (publishable and secret key must match)',
      'INTASEND_SANDBOX: is false but the keys are test keys',
      'AT_SANDBOX: the username "sandbox" only works against the sandbox (set AT_SANDBOX=true)',
    ]);
  });

  it('reads the outbox lease and the shared demo gateways, the latter in demo mode only', () => {
    expect(loadConfig({})).toMatchObject({ outboxLeaseMs: 60_000, demoGatewaysUrl: undefined });
    expect(loadConfig({ OUTBOX_LEASE_SECONDS: '5', DEMO_GATEWAYS_URL: 'http://127.0.0.1:4000/' })).toMatchObject({
      outboxLeaseMs: 5000,
      demoGatewaysUrl: 'http://127.0.0.1:4000',
    });
    expect(problems({ OUTBOX_LEASE_SECONDS: '1', DEMO_GATEWAYS_URL: 'localhost:4000' })).toEqual([
      'OUTBOX_LEASE_SECONDS: must be at least 2 (got "1")',
      'DEMO_GATEWAYS_URL: must be a base URL like http://127.0.0.1:4000 (got "localhost:4000")',
    ]);
    expect(problems({ ...live, DEMO_GATEWAYS_URL: 'http://127.0.0.1:4000' })).toEqual([
      'DEMO_GATEWAYS_URL: only in demo mode (with credentials set the real gateways are used)',
    ]);
  });

  it('reports bad JSON in TARIFF', () => {
    expect(problems({ TARIFF: '{fixedCharge: 1' })).toEqual(['TARIFF: is not valid JSON']);
  });

  it('documents every variable it reads', () => {
    const names = CONFIG_VARIABLES.map((v) => v.name);
    for (const name of ['PORT', 'OPS_TOKEN', 'OPS_PHONES', 'TARIFF', 'CALLBACK_TOKEN', 'INTASEND_WEBHOOK_CHALLENGE']) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});
