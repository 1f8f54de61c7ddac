// @ts-nocheck
import { type Encoding, measureText } from './gsm.js';

export interface ScreenLimits {
  /** Limit in GSM-7 septets for networks not listed. Default 182 (the GSM maximum). */
  default: number;
  /** Per network code (MCC+MNC, e.g. `63902`). */
  byNetwork: Record<string, number>;
}

/** Safaricom KE 160, Airtel KE and UG 184, everyone else 182. */
export const defaultScreenLimits: ScreenLimits = {
  default: 182,
  byNetwork: { '63902': 160, '63903': 184, '64101': 184 },
};

export function limitFor(limits: ScreenLimits, networkCode: string | undefined): number {
  return (networkCode && limits.byNetwork[networkCode]) || limits.default;
}

export interface Measurement {
  encoding: Encoding;
  /** Cost of the whole body, `CON `/`END ` prefix included. */
  units: number;
  /** What this encoding allows on this network. */
  limit: number;
  fits: boolean;
}

/**
 * Measures a response body (with its prefix) against a network limit in septets. UCS-2 carries 16 bits a unit
 * where GSM-7 carries 7, so its limit is the same payload: floor(limit * 7 / 16), 70 units on a 160 network.
 */
export function measureBody(body: string, septetLimit: number): Measurement {
  const { encoding, units } = measureText(body);
  const limit = encoding === 'GSM-7' ? septetLimit : Math.floor((septetLimit * 7) / 16);
  return { encoding, units, limit, fits: units <= limit };
}
