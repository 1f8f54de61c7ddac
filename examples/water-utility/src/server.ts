import {
  africasTalkingSms,
  createIdempotencyGuard,
  createSmsOutbox,
  createUssdApp,
  intasendPayments,
  type Logger,
  maskSecret,
  type PaymentGateway,
  type SmsSender,
  type UssdApp,
} from '@rolax/ussd-core';
import { type FakeAfricasTalking, type FakeIntaSend, fakeAfricasTalking, fakeIntaSend } from '@rolax/ussd-core/fakes';
import { ussdPlugin } from '@rolax/ussd-fastify';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Config } from './config.js';
import { openRepositories } from './db/open.js';
import { DEMO_CUSTOMERS, seedDemoData } from './db/seed.js';
import { createWaterServices } from './domain/index.js';
import type { Repositories } from './domain/ports.js';
import { createPaymentReconciler } from './domain/reconcile.js';
import { allowOnly } from './http/allow-list.js';
import { callbackRoutes } from './http/callbacks.js';
import { devRoutes } from './http/dev.js';
import { serviceLogger } from './http/log.js';
import { createServiceMetrics } from './ops/metrics.js';
import { opsRoutes } from './ops/routes.js';
import { simulatorRoutes } from './simulator/routes.js';
import { createWaterMenu } from './ussd/menu.js';
import { createMenuServices } from './ussd/menu-services.js';

export interface WaterServer {
  fastify: FastifyInstance;
  repos: Repositories;
  /** The USSD app, for tools that walk the menu in-process. */
  ussd: UssdApp;
  /** Base URL once listening, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The in-process gateways of demo mode; undefined with real credentials. */
  fakes: { sms: FakeAfricasTalking; payments: FakeIntaSend } | undefined;
  /** Delivers every SMS due now (tests use it to wait for the outbox). */
  flushOutbox(): Promise<void>;
  /** Asks the payment provider about payments whose webhook is overdue (runs every minute on its own). */
  reconcilePayments(): Promise<{ checked: number; settled: number }>;
  close(): Promise<void>;
}

/**
 * Builds and starts the water service. In demo mode the gateway fakes start first on loopback and the real
 * clients talk to them over HTTP, so demo and production run the same code paths.
 */
export async function startWaterServer(
  config: Config,
  options: {
    /** Where log lines go instead of stdout (tests record them). */
    logStream?: { write(line: string): void } | undefined;
    /** Where the provider clients send, instead of the providers' own hosts (tests point them at fakes). */
    providerUrls?: { sms: string; payments: string } | undefined;
    /** The service's clock: seed data, billing periods, due dates, payment windows. Default the system clock. */
    now?: (() => Date) | undefined;
    /** How long a claimed SMS is reserved before another run may send it (default 60 s, one send with retries). */
    outboxLeaseMs?: number | undefined;
  } = {},
): Promise<WaterServer> {
  const log = serviceLogger({ level: config.logLevel, callbackToken: config.callbackToken, stream: options.logStream });
  const logger: Logger = log;
  const { now } = options;
  const { repos, sessions, describe: database } = await openRepositories(config, logger, now);
  if (config.seedDemoData) await seedDemoData(repos, { tariff: config.tariff, now });

  const fakes = config.demo ? { sms: fakeAfricasTalking(), payments: fakeIntaSend() } : undefined;
  const fakeUrls = fakes ? { sms: await fakes.sms.start(), payments: await fakes.payments.start() } : undefined;
  const urls = options.providerUrls ?? fakeUrls;
  // Live configuration always has both providers (loadConfig refuses anything else); demo mode has neither.
  const at = config.africasTalking ?? {
    username: fakes!.sms.username,
    apiKey: fakes!.sms.apiKey,
    smsFrom: undefined,
    sandbox: false,
  };
  const intasend = config.intasend ?? {
    publishableKey: fakes!.payments.publishableKey,
    secretKey: fakes!.payments.secretKey,
    webhookChallenge: fakes!.payments.challenge,
    sandbox: true,
  };
  const sender: SmsSender = africasTalkingSms({
    username: at.username,
    apiKey: at.apiKey,
    from: at.smsFrom,
    sandbox: at.sandbox,
    baseUrl: urls?.sms,
    logger,
  });
  // The push must answer inside the USSD turn deadline (8 s), so the client gives up well before it.
  const gateway: PaymentGateway = intasendPayments({ ...intasend, baseUrl: urls?.payments, timeoutMs: 6000, logger });

  const outbox = createSmsOutbox({ store: repos.outbox, sender, logger, leaseMs: options.outboxLeaseMs });
  // One delivery run at a time, so at most the outbox's concurrency (4) messages are in flight: the most a crash
  // can leave sent but not recorded. A kick during a run schedules one more run after it.
  const flushing = serialFlush(
    () => outbox.flush(),
    (err) => logger.error({ err }, 'outbox flush failed'),
  );
  const kickOutbox = () => {
    void flushing.run();
  };
  const domain = createWaterServices({
    repos,
    config,
    paymentProvider: config.intasend ? 'intasend' : 'intasend-demo',
    now,
  });
  const metrics = createServiceMetrics({ repos });
  const ussd = createUssdApp({
    menu: createWaterMenu({
      utilityName: config.brand.utilityName,
      contact: config.brand.contact,
      minAmount: config.payments.min,
      maxAmount: config.payments.max,
      now,
    }),
    services: createMenuServices({ repos, domain, gateway, kickOutbox, logger, now }),
    store: sessions,
    logger,
    onTurn: metrics.recordTurn,
  });

  const fastify = Fastify({
    loggerInstance: log,
    // One line per failure rather than two per request; every 5xx below carries its request id.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    ...slowClientLimits(config.requestTimeoutMs),
  });
  fastify.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500)
      req.log.error({ req, res: reply, ms: Math.round(reply.elapsedTime) }, 'request failed');
  });
  // Gateways sign nothing: an unguessable path segment and an address allow-list are the protection the
  // callbacks get (loadConfig insists on one of them outside demo mode).
  const callbackPrefix = config.callbackToken ? `/${config.callbackToken}` : '';
  await fastify.register(async (gateways) => {
    gateways.addHook('onRequest', allowOnly(config.callbackAllowedIps, logger));
    await gateways.register(ussdPlugin, { app: ussd, prefix: `${callbackPrefix}${config.paths.ussd}` });
    await gateways.register(
      callbackRoutes({
        config,
        repos,
        domain,
        gateway,
        sessionEnds: createIdempotencyGuard({ store: sessions, ttlMs: 3_600_000 }),
        kickOutbox,
        logger,
      }),
      { prefix: callbackPrefix },
    );
  });
  await fastify.register(opsRoutes, {
    prefix: '/ops',
    repos,
    issues: domain.issues,
    billing: domain.billing,
    readings: domain.readings,
    token: config.ops.token,
    onQueued: kickOutbox,
    metrics: metrics.snapshot,
  });
  if (fakes) {
    await fastify.register(devRoutes(fakes));
    const ussdPath = `${callbackPrefix}${config.paths.ussd}`;
    await fastify.register(simulatorRoutes({ customers: DEMO_CUSTOMERS, opsPhones: config.ops.phones, ussdPath }));
  }
  fastify.get('/healthz', async (_request, reply) => {
    const mode = config.demo ? 'demo' : 'live';
    try {
      await repos.ping();
      return { ok: true, status: 'ok', mode, database: 'up' };
    } catch (err) {
      const reason = err instanceof Error ? err.message : 'database unavailable';
      return reply.code(503).send({ ok: false, status: 'degraded', mode, database: 'unavailable', reason });
    }
  });

  const address = await fastify.listen({ port: config.port, host: config.host });
  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  if (fakes) {
    fakes.payments.setWebhookUrl(`${url}${callbackPrefix}${config.paths.intasendWebhook}`);
    fakes.sms.setDeliveryReportUrl(`${url}${callbackPrefix}${config.paths.smsDelivery}`);
  }
  const reconciler = createPaymentReconciler({
    repos,
    payments: domain.payments,
    gateway,
    logger,
    onFinal: kickOutbox,
    now,
  });
  const outboxPoll = setInterval(kickOutbox, 1000);
  outboxPoll.unref();
  reconciler.start();
  kickOutbox();

  logger.info(
    {
      url,
      mode: config.demo ? 'demo' : 'live',
      database,
      opsToken: maskSecret(config.ops.token),
    },
    config.demo ? 'rolax water is running in demo mode' : 'rolax water is running',
  );
  for (const w of config.warnings) logger.warn({}, w);

  return {
    fastify,
    repos,
    ussd,
    url,
    fakes,
    flushOutbox: () => flushing.run(),
    reconcilePayments: () => reconciler.runOnce(),
    async close() {
      await fastify.close();
      await reconciler.stop();
      clearInterval(outboxPoll);
      await flushing.idle();
      await outbox.stop();
      await Promise.all([fakes?.sms.close(), fakes?.payments.close()]);
      await ussd.dispose();
      await sessions.dispose?.();
      await repos.close();
    },
  };
}

/**
 * A client that trickles its request holds a connection and a slot: the whole request must arrive within the
 * timeout, headers within 5 s, and an idle keep-alive connection closes after 5 s. Node checks these only every
 * `connectionsCheckingInterval`, so that runs each second instead of every 30.
 */
function slowClientLimits(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: 5000,
    connectionTimeout: requestTimeoutMs + 5000,
    http: { headersTimeout: Math.min(5000, requestTimeoutMs), connectionsCheckingInterval: 1000 },
  };
}

/** Runs `flush` one at a time; a call during a run is answered by the next run, which starts when this one ends. */
function serialFlush(flush: () => Promise<void>, onError: (err: unknown) => void) {
  let current: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    current = flush()
      .catch(onError)
      .finally(() => {
        current = undefined;
      });
    return current;
  };
  return {
    run(): Promise<void> {
      if (!current) return start();
      next ??= current.then(() => {
        next = undefined;
        return start();
      });
      return next;
    },
    async idle(): Promise<void> {
      await next;
      await current;
    },
  };
}
