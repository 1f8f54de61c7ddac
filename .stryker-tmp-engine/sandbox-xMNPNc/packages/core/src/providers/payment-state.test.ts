// @ts-nocheck
import { describe, expect, it } from 'vitest';
import type { PaymentState } from '../ports/payments.js';
import { applyPaymentEvent, isFinalPaymentState } from './payment-state.js';

describe('applyPaymentEvent', () => {
  const cases: Array<[PaymentState | null, PaymentState, PaymentState, boolean, boolean]> = [
    // current, next, stored, changed, becameFinal
    [null, 'PENDING', 'PENDING', true, false],
    [null, 'PROCESSING', 'PROCESSING', true, false],
    [null, 'COMPLETE', 'COMPLETE', true, true],
    [null, 'FAILED', 'FAILED', true, true],
    ['PENDING', 'PENDING', 'PENDING', false, false],
    ['PENDING', 'PROCESSING', 'PROCESSING', true, false],
    ['PENDING', 'COMPLETE', 'COMPLETE', true, true],
    ['PENDING', 'FAILED', 'FAILED', true, true],
    ['PROCESSING', 'PENDING', 'PROCESSING', false, false],
    ['PROCESSING', 'PROCESSING', 'PROCESSING', false, false],
    ['PROCESSING', 'COMPLETE', 'COMPLETE', true, true],
    ['PROCESSING', 'FAILED', 'FAILED', true, true],
    ['COMPLETE', 'PENDING', 'COMPLETE', false, false],
    ['COMPLETE', 'PROCESSING', 'COMPLETE', false, false],
    ['COMPLETE', 'COMPLETE', 'COMPLETE', false, false],
    ['COMPLETE', 'FAILED', 'COMPLETE', false, false],
    ['FAILED', 'PROCESSING', 'FAILED', false, false],
    ['FAILED', 'COMPLETE', 'FAILED', false, false],
    ['FAILED', 'FAILED', 'FAILED', false, false],
  ];
  it.each(cases)('%s + %s -> %s (changed %s, becameFinal %s)', (current, next, state, changed, becameFinal) => {
    expect(applyPaymentEvent(current, next)).toEqual({ state, changed, becameFinal });
  });

  it('reports becameFinal once over any order of duplicated events', () => {
    const deliveries: PaymentState[] = ['COMPLETE', 'PROCESSING', 'COMPLETE', 'PENDING', 'FAILED', 'COMPLETE'];
    let state: PaymentState | null = null;
    let finals = 0;
    for (const next of deliveries) {
      const applied = applyPaymentEvent(state, next);
      state = applied.state;
      if (applied.becameFinal) finals++;
    }
    expect(state).toBe('COMPLETE');
    expect(finals).toBe(1);
  });

  it('knows which states are final', () => {
    expect(['PENDING', 'PROCESSING', 'COMPLETE', 'FAILED'].map((s) => isFinalPaymentState(s as PaymentState))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});
