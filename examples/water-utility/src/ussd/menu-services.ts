import { isUssdError, type Logger, maskPhone } from '@rolax/ussd-core';
import type { PaymentGateway } from '@rolax/ussd-core/providers';
import type { WaterServices } from '../domain/index.js';
import { phoneKey, queueSms } from '../domain/notify.js';
import { localDate } from '../domain/periods.js';
import type { Repositories } from '../domain/ports.js';
import { isRegistered } from '../domain/privacy.js';
import { withTurnSignal } from '../domain/turn-signal.js';
import { totalBalance } from '../domain/units.js';
import type { MenuServices, StartPaymentOutcome } from './services.js';
import { maskedLocal } from './short-phone.js';

export interface MenuServicesOptions {
  repos: Repositories;
  domain: WaterServices;
  gateway: PaymentGateway;
  /** Called after something was queued, so the outbox sends it now rather than at its next poll. */
  kickOutbox: () => void;
  logger: Logger;
  now?: (() => Date) | undefined;
}

/** The menu's view of the water service: reads for screens, and the side effects, each recorded before it runs. */
export function createMenuServices(o: MenuServicesOptions): MenuServices {
  const { repos, domain, gateway, logger } = o;
  const now = o.now ?? (() => new Date());

  async function startPayment(
    p: { account: string; phone: string; amount: number },
    signal: AbortSignal,
  ): Promise<StartPaymentOutcome> {
    const started = await domain.payments.startBillPayment(p);
    if (!started.ok) {
      if (started.reason === 'payment_pending') {
        return { ok: false, reason: 'pending', phone: maskedLocal(started.pending?.phone ?? '') };
      }
      if (started.reason === 'no_open_bill') return { ok: false, reason: 'no_bill' };
      logger.warn({ account: p.account, reason: started.reason }, 'payment refused');
      return { ok: false, reason: 'unavailable' };
    }
    const { payment } = started;
    try {
      const requested = await gateway.requestPayment(
        {
          amount: payment.amount,
          currency: payment.currency,
          phoneNumber: p.phone,
          reference: payment.reference,
          narrative: `Water bill ${p.account}`,
        },
        { signal, idempotencyKey: payment.reference },
      );
      await domain.payments.recordProviderRequest(payment.reference, { providerId: requested.providerId });
      return { ok: true, reference: payment.reference };
    } catch (err) {
      // A refusal is final; a timeout or 5xx may still have put the prompt on the phone, so the payment stays
      // pending for its webhook.
      const definite = isUssdError(err) && (err.code === 'PROVIDER_REJECTED' || err.code === 'PROVIDER_AUTH');
      await domain.payments.recordPushFailure(payment.reference, {
        definite,
        message: err instanceof Error ? err.message : String(err),
      });
      logger.warn(
        { reference: payment.reference, phone: maskPhone(p.phone), code: isUssdError(err) ? err.code : undefined },
        'STK push failed',
      );
      return { ok: false, reason: definite ? 'unavailable' : 'uncertain' };
    }
  }

  return {
    async lookupPhone(phone) {
      // Every dial starts here: read only what the menu shows, not the bills behind each account.
      const [lang, accounts] = await Promise.all([
        repos.preferences.getLanguage(phone),
        repos.accounts.forPhone(phone),
      ]);
      return {
        lang: lang ?? 'en',
        accounts: accounts.map((a) => ({ number: a.number, name: a.name, location: a.location })),
      };
    },
    async findAccount(number) {
      const a = await repos.accounts.get(number);
      return a !== null && a.status !== 'closed';
    },
    setLanguage: (phone, lang) => repos.preferences.setLanguage(phone, lang),
    async usage(account, phone) {
      if (!(await isRegistered(repos, account, phone))) return null;
      const c = await domain.consumption.getConsumption(account);
      if (!c?.lastReading) return null;
      return {
        period: c.period,
        used: c.used,
        lastReading: { value: c.lastReading.value, date: c.lastReading.date },
        previousPeriod: c.previousPeriod,
        previousUse: c.previousUse,
        dailyAverage: c.dailyAverage,
        periodJustStarted: localDate(now()) === c.periodStart,
      };
    },
    async sendStatement(account, phone, lang) {
      // Use, readings and balance are personal: they go only to a phone registered on the account.
      if (!(await isRegistered(repos, account, phone))) {
        logger.warn({ account, phone: maskPhone(phone) }, 'statement refused: phone not registered on the account');
        return;
      }
      const text = await domain.consumption.statementText(account, lang);
      if (!text) return;
      // One statement per account, phone and day: redialling to ask again does not text twice.
      const day = now().toISOString().slice(0, 10);
      await repos.transaction((tx) =>
        queueSms(tx, now(), { key: `statement:${account}:${phoneKey(phone)}:${day}`, to: phone, text }),
      );
      o.kickOutbox();
    },
    async billFor(account, phone) {
      if (!(await isRegistered(repos, account, phone))) return { kind: 'none', credit: 0 };
      const unpaid = await repos.bills.unpaidForAccount(account);
      const oldest = unpaid[0];
      if (!oldest) return { kind: 'none', credit: (await repos.accounts.get(account))?.credit ?? 0 };
      const pending = await domain.payments.blockingPayment(account, oldest);
      if (pending) return { kind: 'pending', phone: maskedLocal(pending.phone) };
      return { kind: 'open', balance: Math.ceil(totalBalance(unpaid)), dueDate: oldest.dueDate, period: oldest.period };
    },
    startPayment,
    async reportIssue(p, signal) {
      const r = await withTurnSignal(signal, () => domain.issues.reportIssue({ ...p, channel: 'ussd' }));
      if (!r.ok && r.reason === 'limited') return { limited: true };
      if (!r.ok) throw new Error(`issue not recorded: ${r.reason}`);
      o.kickOutbox();
      return { reference: r.issue.reference };
    },
  };
}
