import { createUssdApp, type Logger, maskSecret, type UssdApp } from '@rolax/ussd-core';
import { type FakeAfricasTalking, type FakeIntaSend, fakeAfricasTalking, fakeIntaSend } from '@rolax/ussd-core/fakes';
import { screenName } from '@rolax/ussd-core/observe';
import { createSmsOutbox, type SmsSender } from '@rolax/ussd-core/outbox';
import {
  africasTalkingSms,
  createIdempotencyGuard,
  intasendPayments,
  type PaymentGateway,
} from '@rolax/ussd-core/providers';
import { ussdPlugin } from '@rolax/ussd-fastify';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { connectSharedGateways, devProxyRoutes } from './cluster/gateways-client.js';
import type { SharedGatewaysInfo } from './cluster/gateways-server.js';
import type { Config } from './config.js';
import { openRepositories } from './db/open.js';
import { DEMO_CUSTOMERS, seedDemoData } from './db/seed.js';
import { createWaterServices } from './domain/index.js';
import { nodeName } from './domain/job-lease.js';
import type { Repositories } from './domain/ports.js';
import { createPaymentReconciler, type ReconcileResult } from './domain/reconcile.js';
import { allowOnly } from './http/allow-list.js';
import { callbackRoutes } from './http/callbacks.js';
import { devRoutes } from './http/dev.js';
import { serviceLogger } from './http/log.js';
import { funnelPageRoutes } from './ops/funnel-page.js';
import { funnelView } from './ops/funnel-view.js';
import { readiness } from './ops/health.js';
import { createServiceMetrics, type ServiceMetrics } from './ops/metrics.js';
import { metricsRoute } from './ops/metrics-route.js';
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
  /** Base URL of the metrics port when METRICS_PORT is set. */
  metricsUrl: string | undefined;
  /** The in-process gateways of demo mode; undefined with real credentials or shared fakes (DEMO_GATEWAYS_URL). */
  fakes: { sms: FakeAfricasTalking; payments: FakeIntaSend } | undefined;
  /** Delivers every SMS due now (tests use it to wait for the outbox). */
  flushOutbox(): Promise<void>;
  /**
   * Asks the payment provider about payments whose webhook is overdue (runs every minute on its own); `ran` is
   * false when another node holds the reconciliation lease.
   */
  reconcilePayments(): Promise<ReconcileResult>;
  /** This node's name as a holder of job leases. */
  node: string;
  /** The service's metrics registry and menu funnel. */
  metrics: ServiceMetrics;
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
    /** How long a claimed SMS is reserved before another run may send it (default OUTBOX_LEASE_SECONDS). */
    outboxLeaseMs?: number | undefined;
    /** How long a job lease (payment reconciliation, a billing run) outlives its holder's last renewal. */
    jobLeaseMs?: number | undefined;
    /** How often each node tries to reconcile payments (default each minute; one node at a time does it). */
    reconcileEveryMs?: number | undefined;
  } = {},
): Promise<WaterServer> {
  const log = serviceLogger({ level: config.logLevel, callbackToken: config.callbackToken, stream: options.logStream });
  const logger: Logger = log;
  const { now } = options;
  const { repos, sessions, stats, describe: database } = await openRepositories(config, logger, now);
  if (config.seedDemoData) await seedDemoData(repos, { tariff: config.tariff, now });
  const startedAt = new Date().toISOString();
  const menu = createWaterMenu({
    utilityName: config.brand.utilityName,
    contact: config.brand.contact,
    minAmount: config.payments.min,
    maxAmount: config.payments.max,
    now,
  });
  const metrics = createServiceMetrics({ stats, menuId: menu.id });

  // Demo mode: the gateway fakes run in this process, or in a process shared by several nodes (the cluster).
  const shared =
    config.demo && config.demoGatewaysUrl ? await connectSharedGateways(config.demoGatewaysUrl) : undefined;
  const fakes = config.demo && !shared ? { sms: fakeAfricasTalking(), payments: fakeIntaSend() } : undefined;
  if (fakes) await Promise.all([fakes.sms.start(), fakes.payments.start()]);
  const demoGateways = shared ?? (fakes ? describeFakes(fakes) : undefined);
  const urls =
    options.providerUrls ??
    (demoGateways ? { sms: demoGateways.sms.url, payments: demoGateways.payments.url } : undefined);
  // Live configuration always has both providers (loadConfig refuses anything else); demo mode has neither.
  const at = config.africasTalking ?? {
    username: demoGateways!.sms.username,
    apiKey: demoGateways!.sms.apiKey,
    smsFrom: undefined,
    sandbox: false,
  };
  const intasend = config.intasend ?? {
    publishableKey: demoGateways!.payments.publishableKey,
    secretKey: demoGateways!.payments.secretKey,
    webhookChallenge: demoGateways!.payments.challenge,
    sandbox: true,
  };
  const sender: SmsSender = metrics.countSms(
    africasTalkingSms({
      username: at.username,
      apiKey: at.apiKey,
      from: at.smsFrom,
      sandbox: at.sandbox,
      baseUrl: urls?.sms,
      logger,
    }),
  );
  // The push must answer inside the USSD turn deadline (8 s), so the client gives up well before it.
  const gateway: PaymentGateway = metrics.countPayments(
    intasendPayments({ ...intasend, baseUrl: urls?.payments, timeoutMs: 6000, logger }),
  );

  const outbox = createSmsOutbox({
    store: repos.outbox,
    sender,
    logger,
    leaseMs: options.outboxLeaseMs ?? config.outboxLeaseMs,
  });
  // One delivery run at a time, so at most the outbox's concurrency (4) messages are in flight: the most a crash
  // can leave sent but not recorded. A kick during a run schedules one more run after it.
  const flushing = serialFlush(
    () => outbox.flush(),
    (err) => logger.error({ err }, 'outbox flush failed'),
  );
  const kickOutbox = () => {
    void flushing.run();
  };
  const node = nodeName();
  const domain = createWaterServices({
    repos,
    config,
    paymentProvider: config.intasend ? 'intasend' : 'intasend-demo',
    now,
    node,
    jobLeaseMs: options.jobLeaseMs,
  });
  metrics.watch(domain);
  const ussd = createUssdApp({
    menu,
    services: createMenuServices({ repos, domain, gateway, kickOutbox, logger, now }),
    store: sessions,
    logger,
    observer: metrics.observer,
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
  // Once shutdown begins, answers to the requests still in flight close their connection: a kept-alive socket
  // would otherwise hold the server open until its keep-alive timeout.
  let closing = false;
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  // One line per request (failures get the line above instead), through the service's redacting logger: the
  // route pattern rather than the URL, so no query string (phones) and the callback token masked. The request id
  // is the one the USSD turn reports to metrics (exemplar) and traces.
  fastify.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 500) return;
    const route = request.routeOptions.url ?? 'unmatched';
    request.log.info(
      {
        method: request.method,
        route: config.callbackToken ? route.replace(config.callbackToken, '***') : route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

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
        // The funnel counts where the session was left; the saved session says where that was on any node.
        onSessionEnd: async (end) => {
          const saved = await ussd.inspect(end.sessionId).catch(() => undefined);
          metrics.funnel.sessionEnded({ ...end, screen: screenName(saved?.value) });
        },
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
    funnel: async () => funnelView(menu, metrics.funnel, startedAt),
  });
  // Prometheus scrapes /metrics on the main port with the operations token, or on METRICS_PORT without one.
  const metricsServer = config.ops.metricsPort === undefined ? undefined : Fastify({ logger: false });
  await (metricsServer ?? fastify).register(
    metricsRoute({ registry: metrics.registry, token: metricsServer ? undefined : config.ops.token }),
  );
  await fastify.register(funnelPageRoutes());
  fastify.get('/readyz', async (_request, reply) => {
    const r = await readiness({ stats, gateways: metrics.gateways, outboxStuckMs: config.ops.outboxStuckMs });
    return reply.code(r.ready ? 200 : 503).send(r);
  });
  if (config.demo) {
    await fastify.register(fakes ? devRoutes(fakes) : devProxyRoutes(config.demoGatewaysUrl!));
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
  const metricsAddress = await metricsServer?.listen({ port: config.ops.metricsPort, host: config.host });
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
    onRun: metrics.reconcilerRan,
    now,
    node,
    leaseMs: options.jobLeaseMs,
  });
  const outboxPoll = setInterval(kickOutbox, 1000);
  outboxPoll.unref();
  reconciler.start(options.reconcileEveryMs);
  kickOutbox();

  logger.info(
    {
      url,
      node,
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
    node,
    metrics,
    metricsUrl: metricsAddress?.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1'),
    async close() {
      // Stops taking requests and waits for those in flight (USSD turns included) before anything below closes.
      closing = true;
      await Promise.all([fastify.close(), metricsServer?.close()]);
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

/** The in-process fakes described as the shared ones are: where they listen and the credentials they take. */
function describeFakes(fakes: { sms: FakeAfricasTalking; payments: FakeIntaSend }): SharedGatewaysInfo {
  return {
    sms: { url: fakes.sms.url, username: fakes.sms.username, apiKey: fakes.sms.apiKey },
    payments: {
      url: fakes.payments.url,
      publishableKey: fakes.payments.publishableKey,
      secretKey: fakes.payments.secretKey,
      challenge: fakes.payments.challenge,
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
