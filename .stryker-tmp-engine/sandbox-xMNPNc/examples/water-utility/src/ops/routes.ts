// @ts-nocheck
// The operations API: issue triage, meter-reading upload, billing runs, payments and bills. An encapsulated
// Fastify plugin; every route needs `Authorization: Bearer <OPS_TOKEN>`. Errors are JSON `{ error, message }`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { type BillingService, tariffSchema } from '../domain/billing.js';
import { accountView, importCustomers } from '../domain/customers.js';
import type { IssueService } from '../domain/issues.js';
import { CHANNELS, ISSUE_CATEGORIES, ISSUE_STATUSES } from '../domain/model.js';
import type { Repositories } from '../domain/ports.js';
import { MAX_BATCH, type ReadingIngestion } from '../domain/readings.js';

export interface OpsRoutesOptions {
  repos: Repositories;
  issues: IssueService;
  billing: BillingService;
  readings: ReadingIngestion;
  /** OPS_TOKEN. */
  token: string;
  /** Called after a change queued an SMS, so it goes out now rather than at the outbox's next poll. */
  onQueued?: (() => void) | undefined;
  /** Served at `GET /metrics` when given. */
  metrics?: (() => Promise<unknown>) | undefined;
}

const limit = (max: number, fallback: number) =>
  z.coerce.number().int('limit must be a whole number').min(1).max(max).default(fallback);

const issueQuery = z.object({
  status: z.enum(ISSUE_STATUSES).optional(),
  category: z.enum(ISSUE_CATEGORIES).optional(),
  account: z.string().trim().min(1).max(20).optional(),
  channel: z.enum(CHANNELS).optional(),
  limit: limit(500, 50),
});
const issueParams = z.object({
  ref: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^R-\d{6,}$/, 'reference looks like R-000123'),
});
const issuePatch = z.object({ status: z.enum(ISSUE_STATUSES) }).strict();
const billingBody = z
  .object({
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period looks like 2026-11'),
    tariff: tariffSchema.optional(),
  })
  .strict();
const paymentQuery = z.object({
  state: z.enum(['PENDING', 'PROCESSING', 'COMPLETE', 'FAILED']).optional(),
  account: z.string().trim().min(1).max(20).optional(),
  limit: limit(500, 100),
});
const billQuery = z.object({
  account: z.string().trim().min(1).max(20).optional(),
  status: z.enum(['open', 'partially_paid', 'paid']).optional(),
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period looks like 2026-11')
    .optional(),
  limit: limit(500, 100),
});

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares hashes, so the time taken says nothing about the token, not even its length. */
function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return timingSafeEqual(digest(m?.[1] ?? ''), expected) && m !== null;
}

function fail(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

function reason(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export const opsRoutes: FastifyPluginAsync<OpsRoutesOptions> = async (fastify: FastifyInstance, opts) => {
  const { repos, issues, billing, readings } = opts;
  if (!opts.token) throw new Error('opsRoutes needs a token');
  const expected = digest(opts.token);

  fastify.addHook('onRequest', async (request, reply) => {
    if (!tokenMatches(request.headers.authorization, expected)) {
      reply.header('www-authenticate', 'Bearer');
      return fail(reply, 401, 'unauthorized', 'Send Authorization: Bearer <OPS_TOKEN>');
    }
  });

  fastify.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'ops request failed');
      return fail(reply, 500, 'internal', 'Something went wrong; see the service log');
    }
    return fail(reply, status, status === 413 ? 'too_large' : 'bad_request', error.message);
  });

  fastify.setNotFoundHandler((_request, reply) => fail(reply, 404, 'not_found', 'No such operations route'));

  if (opts.metrics) {
    const metrics = opts.metrics;
    fastify.get('/metrics', async () => metrics());
  }

  fastify.get('/issues', async (request, reply) => {
    const q = issueQuery.safeParse(request.query);
    if (!q.success) return fail(reply, 400, 'bad_request', reason(q.error));
    return { issues: await repos.issues.list(q.data) };
  });

  fastify.get('/issues/:ref', async (request, reply) => {
    const p = issueParams.safeParse(request.params);
    if (!p.success) return fail(reply, 400, 'bad_request', reason(p.error));
    const issue = await repos.issues.getByReference(p.data.ref);
    if (!issue) return fail(reply, 404, 'not_found', `No issue ${p.data.ref}`);
    return { issue };
  });

  fastify.patch('/issues/:ref', async (request, reply) => {
    const p = issueParams.safeParse(request.params);
    if (!p.success) return fail(reply, 400, 'bad_request', reason(p.error));
    const body = issuePatch.safeParse(request.body);
    if (!body.success) return fail(reply, 400, 'bad_request', reason(body.error));
    const result = await issues.changeStatus(p.data.ref, body.data.status);
    opts.onQueued?.();
    if (!result.ok) return fail(reply, result.reason === 'not_found' ? 404 : 409, result.reason, result.message);
    return { issue: result.issue, changed: result.changed };
  });

  fastify.post('/readings', { bodyLimit: MAX_BATCH * 400 }, async (request, reply) => {
    const result = await readings.ingestReadings(request.body);
    if (!result.ok) return fail(reply, 400, 'bad_request', result.message);
    const { ok: _ok, ...counts } = result;
    return counts;
  });

  fastify.post('/billing/run', async (request, reply) => {
    const body = billingBody.safeParse(request.body);
    if (!body.success) return fail(reply, 400, 'bad_request', reason(body.error));
    const result = await billing.runBillingPeriod(body.data);
    if (!result.ok) return fail(reply, result.reason === 'invalid_period' ? 400 : 409, result.reason, result.message);
    return {
      period: result.period,
      created: result.created.length,
      existing: result.existing,
      skipped: result.skipped,
      bills: result.created,
    };
  });

  fastify.post('/customers', { bodyLimit: 5 * 1024 * 1024 }, async (request, reply) => {
    const result = await importCustomers(repos, request.body);
    if (!result.ok) return fail(reply, 400, 'bad_request', result.message);
    const { ok: _ok, ...counts } = result;
    return counts;
  });

  fastify.get('/accounts/:number', async (request, reply) => {
    const { number } = request.params as { number: string };
    const view = await accountView(repos, number);
    if (!view) return fail(reply, 404, 'not_found', `No account ${number}`);
    return view;
  });

  fastify.get('/payments', async (request, reply) => {
    const q = paymentQuery.safeParse(request.query);
    if (!q.success) return fail(reply, 400, 'bad_request', reason(q.error));
    return { payments: await repos.payments.list(q.data) };
  });

  fastify.get('/bills', async (request, reply) => {
    const q = billQuery.safeParse(request.query);
    if (!q.success) return fail(reply, 400, 'bad_request', reason(q.error));
    return { bills: await repos.bills.list(q.data) };
  });
};
