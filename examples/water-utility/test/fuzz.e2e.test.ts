// Property-based fuzz of every public endpoint of the water service over HTTP: whatever arrives, the answer is
// never a 5xx, the process keeps serving, and a request that was refused (4xx) changed nothing in the database.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPS_TOKEN, sqliteOf, startService } from './harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const weirdKeys = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '0', ''];
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('1e300', '-1', '\u0000', '*384*123#', '+254711000111', '1001', '1001#leak', 'COMPLETE', 'Success'),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...weirdKeys, 'a'), scalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const bodyWith = (fields: string[]) =>
  fc.dictionary(fc.constantFrom(...fields, ...weirdKeys), value, { maxKeys: fields.length + 2 });

/** Each endpoint with the field names its real callers send, so the fuzz reaches past the first check. */
const endpoints: { method: string; path: string | fc.Arbitrary<string>; fields: string[]; ops?: true }[] = [
  { method: 'POST', path: '/ussd', fields: ['sessionId', 'phoneNumber', 'serviceCode', 'text', 'networkCode'] },
  {
    method: 'POST',
    path: '/ussd/events',
    fields: ['sessionId', 'phoneNumber', 'serviceCode', 'status', 'date', 'cost', 'hopsCount', 'input'],
  },
  { method: 'POST', path: '/sms/incoming', fields: ['id', 'from', 'to', 'text', 'date', 'linkId'] },
  { method: 'POST', path: '/sms/delivery', fields: ['id', 'status', 'phoneNumber', 'failureReason', 'retryCount'] },
  {
    method: 'POST',
    path: '/payments/intasend/webhook',
    fields: ['invoice_id', 'state', 'api_ref', 'challenge', 'value', 'account', 'failed_reason', 'mpesa_reference'],
  },
  { method: 'POST', path: '/ops/readings', fields: ['readings', 'sensorId', 'reading', 'timeStamp'], ops: true },
  { method: 'POST', path: '/ops/billing/run', fields: ['period', 'tariff', 'dueDate'], ops: true },
  { method: 'POST', path: '/ops/customers', fields: ['customers', 'code', 'name', 'phones', 'accounts'], ops: true },
  {
    method: 'PATCH',
    path: fc.constantFrom('/ops/issues/R-000001', '/ops/issues/%00', '/ops/issues/R-999999'),
    fields: ['status'],
    ops: true,
  },
  {
    method: 'GET',
    path: fc
      .tuple(
        fc.constantFrom(
          '/ops/issues',
          '/ops/payments',
          '/ops/bills',
          '/ops/accounts/1001',
          '/ops/accounts/%ff',
          '/healthz',
        ),
        fc.string({ maxLength: 30 }),
      )
      .map(([p, q]) => `${p}?${new URLSearchParams({ status: q, limit: q, account: q, state: q, period: q })}`),
    fields: [],
    ops: true,
  },
  { method: 'POST', path: '/simulator/ussd', fields: ['phoneNumber', 'text', 'sessionId'] },
  { method: 'GET', path: fc.string({ maxLength: 20 }).map((q) => `/dev/sms?to=${encodeURIComponent(q)}`), fields: [] },
  { method: 'POST', path: fc.constantFrom('/dev/stk/%00/pin', '/dev/stk/x/cancel'), fields: ['pin'] },
];

/** How the body is put on the wire: JSON, a form, or raw bytes under either content type. */
const encoding = fc.constantFrom('json', 'form', 'raw-json', 'raw-form');

describe('fuzzing every public endpoint', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  const stats = { requests: 0, byStatus: new Map<number, number>() };
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(async () => {
    await svc.server.close();
    svc.removeData();
    const statuses = [...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}x${n}`);
    process.stdout.write(`fuzz: ${stats.requests} requests, statuses ${statuses.join(' ')}\n`);
  });

  /** Row counts of every table a request could write to (sessions change on any dial). */
  const fingerprint = () => {
    // This suite runs on the default SQLite storage.
    const db = sqliteOf(svc.server);
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'sessions'",
      )
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
    );
  };

  for (const e of endpoints) {
    const label = typeof e.path === 'string' ? e.path : 'variants';
    it(`${e.method} ${label}: no 5xx, nothing stored when refused`, async () => {
      const path = typeof e.path === 'string' ? fc.constant(e.path) : e.path;
      await fc.assert(
        fc.asyncProperty(path, bodyWith(e.fields.length ? e.fields : ['x']), encoding, async (p, body, enc) => {
          const before = fingerprint();
          const headers: Record<string, string> = e.ops ? { authorization: `Bearer ${OPS_TOKEN}` } : {};
          let payload: string | undefined;
          if (e.method !== 'GET') {
            const asForm = new URLSearchParams(
              Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
            ).toString();
            payload = enc === 'json' ? JSON.stringify(body) : enc === 'form' ? asForm : asForm.replace(/%/g, '%%');
            headers['content-type'] = enc.endsWith('json') ? 'application/json' : 'application/x-www-form-urlencoded';
          }
          const res = await fetch(`${svc.server.url}${p}`, { method: e.method, headers, body: payload });
          await res.arrayBuffer();
          stats.requests++;
          stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
          expect(res.status, `${e.method} ${p} ${payload}`).toBeLessThan(500);
          if (res.status >= 400) expect(fingerprint(), `${e.method} ${p} ${payload}`).toEqual(before);
        }),
        { numRuns: RUNS },
      );
      // Still serving after all of it.
      expect((await fetch(`${svc.server.url}/healthz`)).status).toBe(200);
    });
  }
});
