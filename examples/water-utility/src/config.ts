// Configuration from environment variables, checked once at start-up. Every wrong or missing value is reported
// in one error, one line each, so an operator fixes the whole file in one go. Secret values never appear in
// messages. An empty variable counts as unset (a `KEY=` line in an env file).
//
// Demo mode: neither Africa's Talking nor IntaSend credentials are set. The service then runs on simulated
// providers with demo data. Any credential leaves demo mode, and live mode needs both providers complete,
// OPS_TOKEN, and a guard on the gateway callbacks (CALLBACK_TOKEN and/or CALLBACK_ALLOWED_IPS) unless
// ALLOW_OPEN_CALLBACKS=true says the operator accepts open callbacks.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { maskPhone, UssdError } from '@rolax/ussd-core';
import { z } from 'zod';
import { DEFAULT_DUE_DAYS, DEFAULT_TARIFF, type Tariff, tariffSchema } from './domain/billing.js';
import type { Brand } from './domain/messages.js';

export interface ConfigVariable {
  name: string;
  /** Default as shown to an operator; undefined when there is none. */
  default?: string | undefined;
  description: string;
  /** Never printed, not even in an error message. */
  secret?: boolean | undefined;
}

/** Every variable the service reads, for the README and `--help`. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  { name: 'PORT', default: '3000', description: 'HTTP port (0 picks a free one)' },
  {
    name: 'METRICS_PORT',
    default: 'unset: /metrics on PORT behind OPS_TOKEN',
    description: 'Serve Prometheus /metrics on this port instead, without a token (keep it off the internet)',
  },
  {
    name: 'OUTBOX_STUCK_SECONDS',
    default: '900',
    description: '/readyz fails while the oldest waiting SMS is older than this',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_SECONDS',
    default: '10',
    description: 'On SIGTERM, how long turns in flight may take to finish before the process exits anyway',
  },
  { name: 'HOST', default: '0.0.0.0', description: 'Address to listen on' },
  { name: 'DATA_DIR', default: './data', description: 'Folder for the database (created on first start)' },
  { name: 'DATABASE_FILE', default: 'DATA_DIR/water.sqlite', description: 'SQLite database file' },
  {
    name: 'DATABASE_URL',
    description: 'postgres://user:password@host:5432/db: use PostgreSQL instead of SQLite (several nodes)',
    secret: true,
  },
  {
    name: 'DATABASE_POOL_SIZE',
    default: '10',
    description: 'PostgreSQL connections per node',
  },
  {
    name: 'OUTBOX_LEASE_SECONDS',
    default: '60',
    description:
      'How long a node holds an SMS it claimed; a node that dies holds its claims this long (keep above one send with retries)',
  },
  {
    name: 'DEMO_GATEWAYS_URL',
    description:
      'Demo mode: base URL of a gateway-fakes process shared by several nodes (npm run start:cluster starts one) instead of fakes inside this node',
  },
  {
    name: 'REDIS_URL',
    description: 'redis://host:6379: keep USSD sessions in Redis (otherwise in the database)',
    secret: true,
  },
  { name: 'AT_USERNAME', description: "Africa's Talking username (`sandbox` for the sandbox)" },
  { name: 'AT_API_KEY', description: "Africa's Talking API key", secret: true },
  { name: 'AT_SMS_FROM', description: 'Sender id or short code for outgoing SMS (optional)' },
  { name: 'AT_SANDBOX', default: 'true when AT_USERNAME is sandbox', description: "Use Africa's Talking sandbox" },
  { name: 'INTASEND_PUBLISHABLE_KEY', description: 'IntaSend publishable key (ISPubKey_...)' },
  { name: 'INTASEND_SECRET_KEY', description: 'IntaSend secret key (ISSecretKey_...)', secret: true },
  {
    name: 'INTASEND_WEBHOOK_CHALLENGE',
    description: 'Challenge set on the IntaSend webhook; authenticates payment events',
    secret: true,
  },
  { name: 'INTASEND_SANDBOX', default: 'from the key (_test_ keys)', description: 'Use the IntaSend sandbox' },
  {
    name: 'OPS_TOKEN',
    default: 'random, in demo mode only',
    description: 'Bearer token for the operations API; required outside demo mode, 16 characters or more',
    secret: true,
  },
  {
    name: 'OPS_PHONES',
    default: '+254700000001 in demo mode',
    description: 'Comma-separated E.164 numbers that get an SMS for every issue report',
  },
  { name: 'UTILITY_NAME', default: 'rolax Water', description: 'Name used in SMS and menus' },
  { name: 'UTILITY_CONTACT', default: '0800 720 000', description: 'Support line printed in SMS' },
  { name: 'USSD_CODE', default: '*384*123#', description: 'USSD code customers dial, printed in SMS' },
  { name: 'USSD_CALLBACK_PATH', default: '/ussd', description: 'USSD session callback' },
  { name: 'USSD_EVENTS_PATH', default: '/ussd/events', description: 'USSD end-of-session notifications' },
  { name: 'SMS_INCOMING_PATH', default: '/sms/incoming', description: 'Incoming SMS callback' },
  { name: 'SMS_DELIVERY_PATH', default: '/sms/delivery', description: 'SMS delivery reports' },
  { name: 'INTASEND_WEBHOOK_PATH', default: '/payments/intasend/webhook', description: 'IntaSend payment webhook' },
  {
    name: 'CALLBACK_TOKEN',
    description: 'Unguessable path segment added in front of the callback paths (16+ URL-safe characters)',
    secret: true,
  },
  {
    name: 'CALLBACK_ALLOWED_IPS',
    description: 'Comma-separated addresses or CIDR ranges (10.0.0.0/8) the gateway callbacks are accepted from',
  },
  {
    name: 'ALLOW_OPEN_CALLBACKS',
    default: 'false',
    description: 'true to run live with neither CALLBACK_TOKEN nor CALLBACK_ALLOWED_IPS (anyone may post callbacks)',
  },
  {
    name: 'TRUST_PROXY',
    default: '127.0.0.1,::1',
    description: 'Addresses of reverse proxies whose X-Forwarded-For is believed (the allow-list checks the client)',
  },
  {
    name: 'TARIFF',
    default: 'KES 200 fixed; 53/69/85/100 per m3 in blocks 0-6/6-20/20-50/50+',
    description: 'JSON {"fixedCharge":200,"blocks":[{"upTo":6,"price":53},...,{"upTo":null,"price":100}]}',
  },
  { name: 'PAYMENT_MIN', default: '10', description: 'Smallest M-Pesa payment, KES' },
  { name: 'PAYMENT_MAX', default: '150000', description: 'Largest M-Pesa payment, KES' },
  { name: 'BILL_DUE_DAYS', default: String(DEFAULT_DUE_DAYS), description: 'Days after the period end a bill is due' },
  {
    name: 'SEED_DEMO_DATA',
    default: 'true in demo mode',
    description: 'Load the demo customers, readings and bills on start (idempotent)',
  },
  { name: 'LOG_LEVEL', default: 'info', description: 'debug, info, warn, error or silent' },
  {
    name: 'REQUEST_TIMEOUT_MS',
    default: '10000',
    description: 'A request must arrive whole within this time (a slow client is cut off); headers within 5 s',
  },
];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  mode: 'demo' | 'live';
  demo: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** Set: PostgreSQL instead of the SQLite file. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** How long a claimed SMS is reserved for the node that claimed it, ms. */
  outboxLeaseMs: number;
  /** Demo mode: the shared gateway-fakes process the node uses instead of its own in-process fakes. */
  demoGatewaysUrl: string | undefined;
  /** Set: USSD sessions in Redis instead of the database. */
  redisUrl: string | undefined;
  logLevel: LogLevel;
  /** Null: SMS go to the simulated sender. */
  africasTalking: { username: string; apiKey: string; smsFrom: string | undefined; sandbox: boolean } | null;
  /** Null: payments go to the simulated gateway. */
  intasend: { publishableKey: string; secretKey: string; webhookChallenge: string; sandbox: boolean } | null;
  ops: {
    token: string;
    /** True when OPS_TOKEN was not set and a random one was made (demo mode). Log it masked. */
    tokenGenerated: boolean;
    phones: string[];
    /** Set: Prometheus `/metrics` on its own port, without a token. */
    metricsPort: number | undefined;
    /** `/readyz` fails while the oldest waiting SMS is older than this. */
    outboxStuckMs: number;
  };
  /** On SIGTERM, how long turns in flight may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  brand: Brand;
  paths: { ussd: string; ussdEvents: string; smsIncoming: string; smsDelivery: string; intasendWebhook: string };
  callbackToken: string | undefined;
  /** Addresses and CIDR ranges callbacks are accepted from; empty accepts any address. */
  callbackAllowedIps: string[];
  /** Proxies whose X-Forwarded-For header is trusted, as Fastify's `trustProxy` list. */
  trustProxy: string[];
  tariff: Tariff;
  payments: { min: number; max: number };
  billing: { dueDays: number };
  seedDemoData: boolean;
  /** How long one request may take to arrive, ms. */
  requestTimeoutMs: number;
  /** Things that work but an operator should know; log them at start-up. */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

const E164 = /^\+[1-9]\d{7,14}$/;
const DEMO_OPS_PHONE = '+254700000001';

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const bool = optional.pipe(
  z
    .string()
    .regex(/^(true|false|1|0|yes|no)$/i, 'must be true or false')
    .transform((v) => /^(true|1|yes)$/i.test(v))
    .optional(),
);

const int = (min: number, max: number, fallback: number) =>
  optional.pipe(
    z
      .string()
      .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .default(fallback),
  );

const path = (fallback: string) =>
  optional.pipe(
    z
      .string()
      .regex(/^\/[A-Za-z0-9._~\-/]*$/, 'must start with / and hold only URL path characters')
      .default(fallback),
  );

const schema = z.object({
  PORT: int(0, 65535, 3000),
  METRICS_PORT: optional.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number from 0 to 65535')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be at most 65535'))
      .optional(),
  ),
  OUTBOX_STUCK_SECONDS: int(1, 86_400, 900),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 300, 10),
  HOST: optional.pipe(z.string().default('0.0.0.0')),
  DATA_DIR: optional.pipe(z.string().default('./data')),
  DATABASE_FILE: optional,
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
      .optional(),
  ),
  DATABASE_POOL_SIZE: int(1, 500, 10),
  OUTBOX_LEASE_SECONDS: int(2, 3600, 60),
  DEMO_GATEWAYS_URL: optional.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+\/?$/, 'must be a base URL like http://127.0.0.1:4000')
      .optional(),
  ),
  REDIS_URL: optional.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  AT_USERNAME: optional,
  AT_API_KEY: optional,
  AT_SMS_FROM: optional.pipe(z.string().max(11, 'must be at most 11 characters (sender id or short code)').optional()),
  AT_SANDBOX: bool,
  INTASEND_PUBLISHABLE_KEY: optional.pipe(z.string().startsWith('ISPubKey_', 'must start with ISPubKey_').optional()),
  INTASEND_SECRET_KEY: optional.pipe(z.string().startsWith('ISSecretKey_', 'must start with ISSecretKey_').optional()),
  INTASEND_WEBHOOK_CHALLENGE: optional.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
  INTASEND_SANDBOX: bool,
  OPS_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  OPS_PHONES: optional,
  UTILITY_NAME: optional.pipe(z.string().max(30, 'must be at most 30 characters').default('rolax Water')),
  UTILITY_CONTACT: optional.pipe(z.string().max(30, 'must be at most 30 characters').default('0800 720 000')),
  USSD_CODE: optional.pipe(
    z
      .string()
      .regex(/^\*\d+(\*\d+)*#$/, 'must look like *384*1234#')
      .default('*384*123#'),
  ),
  USSD_CALLBACK_PATH: path('/ussd'),
  USSD_EVENTS_PATH: path('/ussd/events'),
  SMS_INCOMING_PATH: path('/sms/incoming'),
  SMS_DELIVERY_PATH: path('/sms/delivery'),
  INTASEND_WEBHOOK_PATH: path('/payments/intasend/webhook'),
  CALLBACK_TOKEN: optional.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,}$/, 'must be 16 or more letters, digits, _ or -')
      .optional(),
  ),
  CALLBACK_ALLOWED_IPS: optional,
  ALLOW_OPEN_CALLBACKS: bool,
  TRUST_PROXY: optional,
  TARIFF: optional,
  PAYMENT_MIN: int(1, 250_000, 10),
  PAYMENT_MAX: int(1, 250_000, 150_000),
  BILL_DUE_DAYS: int(0, 90, DEFAULT_DUE_DAYS),
  SEED_DEMO_DATA: bool,
  REQUEST_TIMEOUT_MS: int(1000, 120_000, 10_000),
  LOG_LEVEL: optional.pipe(
    z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
      .default('info'),
  ),
});

type Values = z.output<typeof schema>;

const SECRET = new Set(CONFIG_VARIABLES.filter((v) => v.secret).map((v) => v.name));

function shown(name: string, value: string | undefined): string {
  if (value === undefined || SECRET.has(name)) return '';
  const v = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  return ` (got "${v}")`;
}

/** Reads and checks the whole configuration; throws one UssdError('CONFIG') that lists every problem. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const warnings: string[] = [];
  // Field by field, so that a value which is fine can still take part in the cross-checks below while the
  // others are reported.
  const values: Partial<Values> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const result = field.safeParse(env[name]);
    if (result.success) (values as Record<string, unknown>)[name] = result.data;
    else
      for (const issue of result.error.issues)
        problems.push(`${name}: ${issue.message}${shown(name, env[name]?.trim())}`);
  }
  const set = (name: string) => (env[name]?.trim() ?? '') !== '';

  // Credentials come in sets: half a set is a mistake, not a request for demo mode.
  const atSet = ['AT_USERNAME', 'AT_API_KEY'];
  const atGiven = atSet.filter(set);
  if (atGiven.length > 0 && atGiven.length < atSet.length) {
    const missing = atSet.filter((n) => !set(n));
    problems.push(`${missing.join(', ')}: required when ${atGiven.join(', ')} is set (Africa's Talking credentials)`);
  }
  const isSet = ['INTASEND_PUBLISHABLE_KEY', 'INTASEND_SECRET_KEY', 'INTASEND_WEBHOOK_CHALLENGE'];
  const isGiven = isSet.filter(set);
  if (isGiven.length > 0 && isGiven.length < isSet.length) {
    const missing = isSet.filter((n) => !set(n));
    problems.push(`${missing.join(', ')}: required when ${isGiven.join(', ')} is set (IntaSend credentials)`);
  }
  const atOn = atGiven.length === atSet.length;
  const isOn = isGiven.length === isSet.length;
  // Any credential at all shows the intent to run for real: half-configured is an error, never demo mode.
  const demo = atGiven.length === 0 && isGiven.length === 0;
  // Live mode runs on real providers only: a simulated gateway would tell a customer a payment went through.
  if (!demo && atGiven.length === 0) {
    problems.push(`${atSet.join(', ')}: required outside demo mode (Africa's Talking sends the SMS)`);
  }
  if (!demo && isGiven.length === 0) {
    problems.push(`${isSet.join(', ')}: required outside demo mode (IntaSend takes the payments)`);
  }
  if (!demo && set('DEMO_GATEWAYS_URL')) {
    problems.push('DEMO_GATEWAYS_URL: only in demo mode (with credentials set the real gateways are used)');
  }
  if (atGiven.length === 0 && (set('AT_SMS_FROM') || set('AT_SANDBOX'))) {
    warnings.push('AT_SMS_FROM / AT_SANDBOX are ignored without AT_USERNAME and AT_API_KEY');
  }

  let opsPhones: string[] = [];
  if (set('OPS_PHONES')) {
    const list = (env.OPS_PHONES as string)
      .split(',')
      .map((p) => p.replace(/[\s-]/g, ''))
      .filter(Boolean);
    const bad = list.filter((p) => !E164.test(p));
    if (bad.length) {
      problems.push(
        `OPS_PHONES: not E.164 numbers like +254711000111: ${bad.map((p) => (p.length > 6 ? maskPhone(p) : `"${p}"`)).join(', ')}`,
      );
    }
    opsPhones = [...new Set(list.filter((p) => E164.test(p)))];
  }

  if (!demo && !set('OPS_TOKEN')) {
    problems.push('OPS_TOKEN: required outside demo mode (16 or more characters; protects the operations API)');
  }

  const allowedIps = (env.CALLBACK_ALLOWED_IPS ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const badIps = allowedIps.filter((a) => !isAddressOrRange(a));
  if (badIps.length) {
    problems.push(
      `CALLBACK_ALLOWED_IPS: not addresses or CIDR ranges: ${badIps.map((a) => `"${a.slice(0, 40)}"`).join(', ')}`,
    );
  }
  const trustProxy = (env.TRUST_PROXY ?? '127.0.0.1,::1')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const badProxies = trustProxy.filter((a) => !isAddressOrRange(a));
  if (badProxies.length) {
    problems.push(
      `TRUST_PROXY: not addresses or CIDR ranges: ${badProxies.map((a) => `"${a.slice(0, 40)}"`).join(', ')}`,
    );
  }
  // Gateways sign nothing: without a secret path or an address check, anyone can forge a callback.
  const guarded = set('CALLBACK_TOKEN') || allowedIps.length > 0;
  if (!demo && !guarded && values.ALLOW_OPEN_CALLBACKS !== true) {
    problems.push(
      'CALLBACK_TOKEN, CALLBACK_ALLOWED_IPS: set at least one outside demo mode (gateways sign nothing, so ' +
        'anyone could post callbacks), or ALLOW_OPEN_CALLBACKS=true to accept that',
    );
  }

  let tariff: Tariff = DEFAULT_TARIFF;
  if (set('TARIFF')) {
    let json: unknown;
    try {
      json = JSON.parse(env.TARIFF as string);
    } catch {
      problems.push('TARIFF: is not valid JSON');
    }
    if (json !== undefined) {
      const t = tariffSchema.safeParse(json);
      if (t.success) tariff = t.data;
      else {
        for (const issue of t.error.issues) {
          problems.push(`TARIFF: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
        }
      }
    }
  }

  const v = values;
  if (v.PAYMENT_MIN !== undefined && v.PAYMENT_MAX !== undefined && v.PAYMENT_MIN > v.PAYMENT_MAX) {
    problems.push(`PAYMENT_MIN: must not exceed PAYMENT_MAX (${v.PAYMENT_MIN} > ${v.PAYMENT_MAX})`);
  }
  const paths = {
    ussd: v.USSD_CALLBACK_PATH ?? '',
    ussdEvents: v.USSD_EVENTS_PATH ?? '',
    smsIncoming: v.SMS_INCOMING_PATH ?? '',
    smsDelivery: v.SMS_DELIVERY_PATH ?? '',
    intasendWebhook: v.INTASEND_WEBHOOK_PATH ?? '',
  };
  const seen = new Map<string, string>();
  const pathVars: Record<keyof typeof paths, string> = {
    ussd: 'USSD_CALLBACK_PATH',
    ussdEvents: 'USSD_EVENTS_PATH',
    smsIncoming: 'SMS_INCOMING_PATH',
    smsDelivery: 'SMS_DELIVERY_PATH',
    intasendWebhook: 'INTASEND_WEBHOOK_PATH',
  };
  for (const [key, value] of Object.entries(paths) as [keyof typeof paths, string][]) {
    if (!value) continue;
    const other = seen.get(value);
    if (other) problems.push(`${pathVars[key]}: same path as ${other} (${value})`);
    else seen.set(value, pathVars[key]);
  }

  let intasend: Config['intasend'] = null;
  if (isOn && v.INTASEND_PUBLISHABLE_KEY && v.INTASEND_SECRET_KEY && v.INTASEND_WEBHOOK_CHALLENGE) {
    const pub = v.INTASEND_PUBLISHABLE_KEY;
    const secret = v.INTASEND_SECRET_KEY;
    const pubTest = pub.startsWith('ISPubKey_test');
    const secretTest = secret.startsWith('ISSecretKey_test');
    if (pubTest !== secretTest) {
      problems.push('INTASEND_SECRET_KEY: test and live keys are mixed (publishable and secret key must match)');
    }
    if (v.INTASEND_SANDBOX !== undefined && v.INTASEND_SANDBOX !== pubTest) {
      problems.push(`INTASEND_SANDBOX: is ${v.INTASEND_SANDBOX} but the keys are ${pubTest ? 'test' : 'live'} keys`);
    }
    intasend = {
      publishableKey: pub,
      secretKey: secret,
      webhookChallenge: v.INTASEND_WEBHOOK_CHALLENGE,
      sandbox: v.INTASEND_SANDBOX ?? pubTest,
    };
  }

  let africasTalking: Config['africasTalking'] = null;
  if (atOn && v.AT_USERNAME && v.AT_API_KEY) {
    const username = v.AT_USERNAME;
    const sandbox = v.AT_SANDBOX ?? username === 'sandbox';
    if (username === 'sandbox' && !sandbox) {
      problems.push('AT_SANDBOX: the username "sandbox" only works against the sandbox (set AT_SANDBOX=true)');
    }
    africasTalking = { username, apiKey: v.AT_API_KEY, smsFrom: v.AT_SMS_FROM, sandbox };
  }

  if (problems.length) throw configError(problems);
  const ok = v as Values;

  let opsToken = ok.OPS_TOKEN;
  const tokenGenerated = opsToken === undefined;
  if (opsToken === undefined) {
    opsToken = randomBytes(24).toString('base64url');
    warnings.push(
      'OPS_TOKEN is not set: the operations API takes a random token for this run; set OPS_TOKEN to call it',
    );
  }
  if (!set('OPS_PHONES') && demo) opsPhones = [DEMO_OPS_PHONE];
  if (opsPhones.length === 0) warnings.push('OPS_PHONES is empty: issue reports are recorded but nobody gets an alert');
  if (!demo && !guarded) {
    warnings.push('ALLOW_OPEN_CALLBACKS=true: anyone who can reach the callback paths can post gateway callbacks');
  }

  const dataDir = ok.DATA_DIR;
  return {
    mode: demo ? 'demo' : 'live',
    demo,
    port: ok.PORT,
    host: ok.HOST,
    dataDir,
    databaseFile: ok.DATABASE_FILE ?? join(dataDir, 'water.sqlite'),
    databaseUrl: ok.DATABASE_URL,
    databasePoolSize: ok.DATABASE_POOL_SIZE,
    outboxLeaseMs: ok.OUTBOX_LEASE_SECONDS * 1000,
    demoGatewaysUrl: ok.DEMO_GATEWAYS_URL?.replace(/\/$/, ''),
    redisUrl: ok.REDIS_URL,
    logLevel: ok.LOG_LEVEL,
    africasTalking,
    intasend,
    ops: {
      token: opsToken,
      tokenGenerated,
      phones: opsPhones,
      metricsPort: ok.METRICS_PORT,
      outboxStuckMs: ok.OUTBOX_STUCK_SECONDS * 1000,
    },
    shutdownTimeoutMs: ok.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    brand: { utilityName: ok.UTILITY_NAME, contact: ok.UTILITY_CONTACT, ussdCode: ok.USSD_CODE },
    paths,
    callbackToken: ok.CALLBACK_TOKEN,
    callbackAllowedIps: allowedIps,
    trustProxy,
    tariff,
    payments: { min: ok.PAYMENT_MIN, max: ok.PAYMENT_MAX },
    billing: { dueDays: ok.BILL_DUE_DAYS },
    seedDemoData: ok.SEED_DEMO_DATA ?? demo,
    requestTimeoutMs: ok.REQUEST_TIMEOUT_MS,
    warnings,
  };
}

/** An IPv4 or IPv6 address, optionally with a /prefix length. */
function isAddressOrRange(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  const family = isIP(address ?? '');
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function configError(problems: string[]): UssdError {
  return new UssdError(
    'CONFIG',
    `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `- ${p}`).join('\n')}`,
    {
      details: { problems },
    },
  );
}
