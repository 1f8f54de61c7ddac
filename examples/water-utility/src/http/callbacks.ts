import { isUssdError, type Logger, maskPhone } from '@rolax/ussd-core';
import {
  type IdempotencyGuard,
  type PaymentGateway,
  parseDeliveryReport,
  parseIncomingSms,
  parseUssdSessionEnd,
} from '@rolax/ussd-core/providers';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { WaterServices } from '../domain/index.js';
import type { Repositories } from '../domain/ports.js';
import { acceptForms } from './form.js';

export interface CallbackDeps {
  config: Config;
  repos: Repositories;
  domain: WaterServices;
  gateway: PaymentGateway;
  sessionEnds: IdempotencyGuard;
  kickOutbox: () => void;
  logger: Logger;
  /** Told once per ended session how it ended (for the menu funnel). */
  onSessionEnd?:
    | ((end: { sessionId: string; status: 'Success' | 'Incomplete' | 'Failed' }) => Promise<void>)
    | undefined;
}

/** Gateway callbacks other than the USSD hop: session ends, SMS in, delivery reports, payment webhooks. */
export function callbackRoutes(deps: CallbackDeps) {
  const { config, repos, domain, gateway, logger } = deps;
  return async (fastify: FastifyInstance) => {
    acceptForms(fastify);

    fastify.post(config.paths.ussdEvents, async (req, reply) => {
      const end = parseUssdSessionEnd(req.body);
      if (await deps.sessionEnds.firstTime(end.sessionId)) {
        logger.info(
          { session: end.sessionId, phone: maskPhone(end.phoneNumber), status: end.status, hops: end.hopsCount },
          'USSD session ended',
        );
        await deps.onSessionEnd?.({ sessionId: end.sessionId, status: end.status });
      }
      return reply.code(200).send({ ok: true });
    });

    fastify.post(config.paths.smsIncoming, async (req, reply) => {
      const sms = parseIncomingSms(req.body);
      const outcome = await domain.smsCommands.handleIncomingSms({
        id: sms.id,
        from: sms.from,
        to: sms.to,
        text: sms.text,
      });
      deps.kickOutbox();
      logger.info({ id: sms.id, from: maskPhone(sms.from), outcome: outcome.outcome }, 'SMS received');
      return reply.code(200).send({ ok: true, outcome: outcome.outcome });
    });

    fastify.post(config.paths.smsDelivery, async (req, reply) => {
      const report = parseDeliveryReport(req.body);
      const matched = await repos.smsLog.applyDeliveryReport({
        providerMessageId: report.id,
        status: report.status,
        failureReason: report.failureReason,
      });
      if (!matched) logger.warn({ id: report.id }, 'delivery report for an unknown message');
      return reply.code(200).send({ ok: true });
    });

    fastify.post(config.paths.intasendWebhook, async (req, reply) => {
      // Authenticity first: a wrong challenge is refused before anything is read or written.
      const event = gateway.parseWebhook(req.body);
      const result = await domain.payments.applyPaymentEvent(event);
      if (!result.payment) logger.warn({ reference: event.reference }, 'payment event for an unknown payment');
      if (result.becameFinal) deps.kickOutbox();
      return reply.code(200).send({ ok: true, changed: result.changed });
    });

    fastify.setErrorHandler((err, req, reply: FastifyReply) => {
      if (isUssdError(err) && err.status < 500) {
        if (err.code === 'WEBHOOK_UNAUTHORIZED') logger.warn({ code: err.code }, 'webhook refused');
        return reply.code(err.status).type('text/plain; charset=utf-8').send(err.message);
      }
      const status = (err as { statusCode?: number }).statusCode;
      if (status && status < 500)
        return reply
          .code(status)
          .type('text/plain; charset=utf-8')
          .send((err as Error).message);
      req.log.error({ err }, 'callback failed');
      // A 5xx makes the gateway deliver again later; nothing was committed for this request.
      return reply.code(500).type('text/plain; charset=utf-8').send('temporary failure, retry later');
    });
  };
}
