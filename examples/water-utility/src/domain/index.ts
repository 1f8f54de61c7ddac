// Builds every domain service of the water service from the configuration, so the HTTP and USSD layers get
// them in one call.
import type { Config } from '../config.js';
import { createBillingService } from './billing.js';
import { createConsumptionService } from './consumption.js';
import { createIssueService } from './issues.js';
import { createPaymentService } from './payments.js';
import type { Repositories } from './ports.js';
import { createReadingIngestion } from './readings.js';
import { createSmsCommandHandler } from './sms-commands.js';

export interface WaterServicesOptions {
  repos: Repositories;
  config: Pick<Config, 'brand' | 'ops' | 'payments' | 'tariff' | 'billing'>;
  /** Payment provider name stored on each payment, e.g. `intasend` or the simulator's name. */
  paymentProvider?: string | undefined;
  now?: (() => Date) | undefined;
  /** This node's name in the leases of the jobs it runs (billing runs). */
  node?: string | undefined;
  /** How long a billing run's lease lasts without progress. */
  jobLeaseMs?: number | undefined;
}

export function createWaterServices(options: WaterServicesOptions) {
  const { repos, config, now } = options;
  const brand = config.brand;
  const issues = createIssueService({ repos, brand, opsPhones: config.ops.phones, now });
  return {
    issues,
    payments: createPaymentService({
      repos,
      opsPhones: config.ops.phones,
      brand,
      now,
      minAmount: config.payments.min,
      maxAmount: config.payments.max,
      provider: options.paymentProvider,
    }),
    smsCommands: createSmsCommandHandler({ repos, issues, brand, now }),
    consumption: createConsumptionService({ repos, brand, now }),
    billing: createBillingService({
      repos,
      tariff: config.tariff,
      dueDays: config.billing.dueDays,
      now,
      node: options.node,
      leaseMs: options.jobLeaseMs,
    }),
    readings: createReadingIngestion({ repos, now }),
  };
}

export type WaterServices = ReturnType<typeof createWaterServices>;
