// Bill payments by M-Pesa STK push. The payment row is written before the provider is called, so a crash or a
// timeout can never leave money without a record; provider events then move it forward only.
//
// Choices worth knowing:
// - One push at a time per bill: a PENDING payment younger than `staleAfterMs` (3 min; the handset prompt
//   expires after about a minute) or a PROCESSING one younger than `processingStaleAfterMs` (15 min) blocks a
//   new one. An older one no longer blocks, but it is left as it is, never marked FAILED locally: if its
//   COMPLETE arrives late it is still credited. The worst case, two completed pushes, becomes account credit.
// - A COMPLETE payment pays its own bill first, then the account's other unpaid bills oldest first; whatever
//   is left becomes account credit, which the next bill takes off. Partial payments leave the bill
//   `partially_paid` with the rest as its balance.
// - Amounts are whole shillings: M-Pesa takes no cents.
// - Suspended and closed accounts may still pay: paying arrears is how a disconnected customer gets back on.
import type { PaymentEvent, PaymentFailureReason } from '@rolax/ussd-core/providers';
import { type Brand, paymentFailed, paymentNotConfirmed, paymentReceipt } from './messages.js';
import type { Bill, Payment, PaymentState } from './model.js';
import { languageOf, phoneKey, queueSms } from './notify.js';
import type { Repositories } from './ports.js';
import { isRegistered } from './privacy.js';
import { fromCents, toCents, totalBalance } from './units.js';

export interface PaymentServiceOptions {
  repos: Repositories;
  brand: Brand;
  now?: (() => Date) | undefined;
  /** Smallest and largest amount one push may ask for, KES. */
  minAmount?: number | undefined;
  maxAmount?: number | undefined;
  provider?: string | undefined;
  currency?: string | undefined;
  staleAfterMs?: number | undefined;
  processingStaleAfterMs?: number | undefined;
  /** Operations phones: told when a payment completes after the payer was told it was not confirmed. */
  opsPhones?: readonly string[] | undefined;
}

/**
 * A push whose outcome is unknown (the request failed after it may have been sent) has no provider id, so the
 * status call cannot ask about it. Its webhook (which carries our reference) settles it; if none has come after
 * this long, the payer is told no payment was confirmed. The payment stays open for a late webhook.
 */
export const UNKNOWN_PUSH_EXPIRES_MS = 10 * 60_000;
const EXPIRED = 'EXPIRED';

export type StartPaymentRefusal =
  | 'unknown_account'
  | 'no_open_bill'
  | 'invalid_amount'
  | 'amount_too_small'
  | 'amount_too_large'
  | 'payment_pending';

export type StartPaymentResult =
  | { ok: true; payment: Payment; bill: Bill }
  | { ok: false; reason: StartPaymentRefusal; message: string; pending?: Payment | undefined };

export interface ApplyPaymentResult {
  /** The event moved the payment forward. */
  changed: boolean;
  /** The payment reached COMPLETE or FAILED with this event (true exactly once per payment). */
  becameFinal: boolean;
  /** Null when no payment matches the event's reference or provider id. */
  payment: Payment | null;
}

const refuse = (reason: StartPaymentRefusal, message: string): StartPaymentResult => ({ ok: false, reason, message });

const RANK: Record<PaymentState, number> = { PENDING: 0, PROCESSING: 1, COMPLETE: 2, FAILED: 2 };
export const isFinal = (state: PaymentState): boolean => state === 'COMPLETE' || state === 'FAILED';

/** `PAY-1001-202610-1`: account, bill period and attempt; sent to the provider as `api_ref`. */
export const paymentReference = (account: string, period: string, attempt: number): string =>
  `PAY-${account}-${period.replace('-', '')}-${attempt}`;

export function createPaymentService(options: PaymentServiceOptions) {
  const { repos, brand } = options;
  const now = options.now ?? (() => new Date());
  const minAmount = options.minAmount ?? 10;
  const maxAmount = options.maxAmount ?? 150_000;
  const provider = options.provider ?? 'intasend';
  const currency = options.currency ?? 'KES';
  const staleAfterMs = options.staleAfterMs ?? 3 * 60_000;
  const processingStaleAfterMs = options.processingStaleAfterMs ?? 15 * 60_000;

  const blocks = (p: Payment, at: Date) =>
    at.getTime() - Date.parse(p.updatedAt) < (p.state === 'PROCESSING' ? processingStaleAfterMs : staleAfterMs);

  /**
   * Records a PENDING payment for the account's oldest unpaid bill. Call the gateway with the returned
   * `payment.reference` and `payment.amount` only when `ok`. Without `amount`, the whole unpaid balance is asked.
   */
  async function startBillPayment(input: {
    account: string;
    phone: string;
    amount?: number | undefined;
  }): Promise<StartPaymentResult> {
    return repos.transaction(async (tx) => {
      const at = now();
      const account = await tx.accounts.get(input.account);
      if (!account) return refuse('unknown_account', `Account ${input.account} does not exist`);
      const unpaid = await tx.bills.unpaidForAccount(account.number);
      const bill = unpaid[0];
      if (!bill) return refuse('no_open_bill', `Account ${account.number} has no unpaid bill`);
      const owed = totalBalance(unpaid);
      const amount = input.amount ?? Math.ceil(owed);
      if (!Number.isInteger(amount) || amount <= 0) {
        return refuse('invalid_amount', 'The amount must be a whole number of shillings');
      }
      if (amount < minAmount) return refuse('amount_too_small', `The smallest payment is KES ${minAmount}`);
      if (amount > maxAmount) return refuse('amount_too_large', `The largest payment is KES ${maxAmount}`);
      const pending = (await tx.payments.activeForBill(bill.id)).find((p) => blocks(p, at));
      if (pending) {
        return {
          ok: false as const,
          reason: 'payment_pending' as const,
          message: 'A payment for this bill is waiting for the M-Pesa PIN; try again in a few minutes',
          pending,
        };
      }
      const attempt = (await tx.payments.lastAttempt(bill.id)) + 1;
      const payment = await tx.payments.create({
        reference: paymentReference(account.number, bill.period, attempt),
        account: account.number,
        billId: bill.id,
        attempt,
        phone: input.phone,
        amount,
        currency,
        provider,
      });
      await tx.payments.addHistory({
        reference: payment.reference,
        fromState: 'PENDING',
        toState: 'PENDING',
        rawState: 'CREATED',
        applied: true,
        providerUpdatedAt: null,
        receivedAt: at.toISOString(),
      });
      return { ok: true as const, payment, bill };
    });
  }

  /** Stores the provider's invoice id from the push response, so events that carry only that id still match. */
  async function recordProviderRequest(reference: string, requested: { providerId: string }): Promise<Payment | null> {
    return repos.transaction(async (tx) => {
      const payment = await tx.payments.getByReference(reference);
      if (!payment) return null;
      if (payment.providerId === requested.providerId) return payment;
      return tx.payments.update(reference, { providerId: requested.providerId });
    });
  }

  /**
   * The push itself failed. `definite` means the provider refused it (bad request, auth, validation): the
   * payment becomes FAILED, without an SMS since the customer sees it on the screen. Anything else (timeout,
   * 5xx, network) may still have reached the handset, so the payment stays PENDING for its webhook and only
   * stops blocking once stale.
   */
  async function recordPushFailure(
    reference: string,
    failure: { definite: boolean; reason?: PaymentFailureReason | undefined; message?: string | undefined },
  ): Promise<ApplyPaymentResult> {
    if (!failure.definite) {
      const payment = await repos.transaction(async (tx) =>
        (await tx.payments.getByReference(reference))
          ? tx.payments.update(reference, { failureMessage: failure.message ?? 'push outcome unknown' })
          : null,
      );
      return { changed: false, becameFinal: false, payment };
    }
    return apply(
      {
        providerId: '',
        reference,
        state: 'FAILED',
        rawState: 'PUSH_FAILED',
        failure: { reason: failure.reason ?? 'push_failed', message: failure.message },
      },
      false,
    );
  }

  /**
   * Applies a provider event monotonically (PENDING < PROCESSING < COMPLETE | FAILED) in one transaction:
   * the state change, the bill balance and the SMS to the payer commit together, and a final state is applied
   * exactly once however often and in whatever order the provider delivers.
   */
  function applyPaymentEvent(event: PaymentEvent): Promise<ApplyPaymentResult> {
    return apply(event, true);
  }

  async function apply(event: PaymentEvent, notify: boolean): Promise<ApplyPaymentResult> {
    return repos.transaction(async (tx) => {
      const at = now();
      let payment =
        (event.reference ? await tx.payments.getByReference(event.reference) : null) ??
        (event.providerId ? await tx.payments.getByProviderId(event.providerId) : null);
      if (!payment) return { changed: false, becameFinal: false, payment: null };

      const from = payment.state;
      const to = event.state;
      const forward = !isFinal(from) && RANK[to] > RANK[from];
      await tx.payments.addHistory({
        reference: payment.reference,
        fromState: from,
        toState: to,
        rawState: event.rawState,
        applied: forward,
        providerUpdatedAt: event.updatedAt ?? null,
        receivedAt: at.toISOString(),
      });
      const providerId = event.providerId && !payment.providerId ? event.providerId : undefined;
      if (!forward) {
        if (providerId) payment = await tx.payments.update(payment.reference, { providerId });
        return { changed: false, becameFinal: false, payment };
      }

      if (to === 'COMPLETE') {
        const paid =
          event.amount !== undefined && Number.isFinite(event.amount) && event.amount > 0
            ? event.amount
            : payment.amount;
        payment = await tx.payments.update(payment.reference, {
          state: 'COMPLETE',
          providerId,
          paidAmount: paid,
          mpesaReference: event.providerReference,
          completedAt: at.toISOString(),
        });
        const { balance, credit } = await allocate(tx, payment, paid);
        // The payer was told nothing was confirmed: the money is credited all the same, and operations follow up.
        if ((await tx.payments.history(payment.reference)).some((h) => h.rawState === EXPIRED)) {
          for (const phone of options.opsPhones ?? []) {
            await queueSms(tx, at, {
              key: `payment:${payment.reference}:late:${phoneKey(phone)}`,
              to: phone,
              text: `LATE PAYMENT ${payment.reference} KES ${paid} a/c ${payment.account} completed after the payer was told it was not confirmed. Credited; please call the customer.`,
              paymentReference: payment.reference,
            });
          }
        }
        if (notify) {
          const lang = await languageOf(tx, payment.phone);
          const registered = await isRegistered(tx, payment.account, payment.phone);
          await queueSms(tx, at, {
            key: `payment:${payment.reference}:receipt`,
            to: payment.phone,
            text: paymentReceipt(lang, brand, {
              amount: paid,
              account: payment.account,
              mpesaReference: payment.mpesaReference,
              balance: registered ? balance : null,
              credit,
            }),
            paymentReference: payment.reference,
          });
        }
      } else if (to === 'FAILED') {
        payment = await tx.payments.update(payment.reference, {
          state: 'FAILED',
          providerId,
          failureReason: event.failure?.reason ?? 'unknown',
          failureCode: event.failure?.code,
          failureMessage: event.failure?.message,
        });
        if (notify) {
          const lang = await languageOf(tx, payment.phone);
          await queueSms(tx, at, {
            key: `payment:${payment.reference}:failed`,
            to: payment.phone,
            text: paymentFailed(lang, brand, {
              amount: payment.amount,
              account: payment.account,
              reason: payment.failureReason,
            }),
            paymentReference: payment.reference,
          });
        }
      } else {
        payment = await tx.payments.update(payment.reference, { state: to, providerId });
      }
      return { changed: true, becameFinal: isFinal(to), payment };
    });
  }

  /** The payment still waiting on the account's oldest unpaid bill, if one blocks a new push right now. */
  async function blockingPayment(account: string, oldestUnpaid?: Bill | undefined): Promise<Payment | null> {
    const bill = oldestUnpaid ?? (await repos.bills.unpaidForAccount(account))[0];
    if (!bill) return null;
    const at = now();
    return (await repos.payments.activeForBill(bill.id)).find((p) => blocks(p, at)) ?? null;
  }

  /** Payments whose push outcome is unknown and whose webhook has not come in time, not yet expired. */
  async function unknownOverdue(): Promise<Payment[]> {
    const cutoff = now().getTime() - UNKNOWN_PUSH_EXPIRES_MS;
    const pending = await repos.payments.list({ state: 'PENDING', limit: 200 });
    const overdue = pending.filter((p) => !p.providerId && Date.parse(p.updatedAt) <= cutoff);
    const out: Payment[] = [];
    for (const p of overdue) {
      if (!(await repos.payments.history(p.reference)).some((h) => h.rawState === EXPIRED)) out.push(p);
    }
    return out;
  }

  /** Tells the payer no payment was confirmed, once; a late webhook still completes the payment. */
  async function expireUnknown(reference: string): Promise<boolean> {
    return repos.transaction(async (tx) => {
      const payment = await tx.payments.getByReference(reference);
      if (payment?.state !== 'PENDING' || payment.providerId) return false;
      if ((await tx.payments.history(reference)).some((h) => h.rawState === EXPIRED)) return false;
      const at = now();
      await tx.payments.addHistory({
        reference,
        fromState: payment.state,
        toState: payment.state,
        rawState: EXPIRED,
        applied: false,
        providerUpdatedAt: null,
        receivedAt: at.toISOString(),
      });
      await queueSms(tx, at, {
        key: `payment:${reference}:expired`,
        to: payment.phone,
        text: paymentNotConfirmed(await languageOf(tx, payment.phone), brand, {
          amount: payment.amount,
          account: payment.account,
          reference,
        }),
        paymentReference: reference,
      });
      return true;
    });
  }

  return {
    startBillPayment,
    recordProviderRequest,
    recordPushFailure,
    applyPaymentEvent,
    blockingPayment,
    unknownOverdue,
    expireUnknown,
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;

/** Pays the payment's bill, then the account's other unpaid bills oldest first; the rest becomes credit. */
async function allocate(
  tx: Repositories,
  payment: Payment,
  amount: number,
): Promise<{ balance: number; credit: number }> {
  let left = toCents(amount);
  const unpaid = await tx.bills.unpaidForAccount(payment.account);
  const own = unpaid.filter((b) => b.id === payment.billId);
  const ordered = [...own, ...unpaid.filter((b) => b.id !== payment.billId)];
  let outstanding = 0;
  for (const bill of ordered) {
    const balance = toCents(bill.balance);
    const applied = Math.min(left, balance);
    left -= applied;
    outstanding += balance - applied;
    if (applied > 0) {
      const rest = balance - applied;
      await tx.bills.updateBalance(bill.id, {
        paid: fromCents(toCents(bill.paid) + applied),
        balance: fromCents(rest),
        status: rest === 0 ? 'paid' : 'partially_paid',
      });
    }
  }
  const account = await tx.accounts.get(payment.account);
  const credit = toCents(account?.credit ?? 0) + left;
  if (left > 0) await tx.accounts.setCredit(payment.account, fromCents(credit));
  return { balance: fromCents(outstanding), credit: fromCents(credit) };
}
