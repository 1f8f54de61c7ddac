// @ts-nocheck
import type { PaymentState } from '../ports/payments.js';

const rank: Record<PaymentState, number> = { PENDING: 0, PROCESSING: 1, COMPLETE: 2, FAILED: 2 };

export function isFinalPaymentState(state: PaymentState): boolean {
  return state === 'COMPLETE' || state === 'FAILED';
}

export interface AppliedPaymentState {
  /** The state to store. */
  state: PaymentState;
  /** True when `state` differs from `current`. */
  changed: boolean;
  /** True only for the event that moved the payment into its final state: act on it (receipt, ledger) once. */
  becameFinal: boolean;
}

/**
 * Applies a webhook's state on top of the stored one. Webhooks arrive at least once and out of order, so a state
 * only moves forward (PENDING < PROCESSING < COMPLETE | FAILED) and a final state never moves again, not even to
 * the other final state.
 */
export function applyPaymentEvent(current: PaymentState | null, next: PaymentState): AppliedPaymentState {
  if (current !== null && (isFinalPaymentState(current) || rank[next] <= rank[current])) {
    return { state: current, changed: false, becameFinal: false };
  }
  return { state: next, changed: true, becameFinal: isFinalPaymentState(next) };
}
