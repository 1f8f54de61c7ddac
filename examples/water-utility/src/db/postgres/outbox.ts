import type { OutboxStore } from '@rolax/ussd-core/outbox';
import { postgresOutboxStore } from '@rolax/ussd-core/postgres';
import type { PgContext } from './context.js';
import type { postgresSmsLog } from './sms-log.js';

/**
 * The core's PostgreSQL outbox on the service database (claims with `FOR UPDATE SKIP LOCKED`, so every node can
 * deliver), with each outcome also written to the SMS log rows queued under the same key, in one transaction.
 */
export function postgresOutbox(ctx: PgContext, smsLog: ReturnType<typeof postgresSmsLog>): OutboxStore {
  const store = postgresOutboxStore({ pool: ctx.queryable, table: 'outbox' });
  return {
    ...store,
    markSent: (key, result, attempts) =>
      ctx.transaction(async () => {
        await store.markSent(key, result, attempts);
        await smsLog.logResults(key, result.recipients);
      }),
    markRetry: (key, attempts, nextAttemptAt, error, progress) =>
      ctx.transaction(async () => {
        await store.markRetry(key, attempts, nextAttemptAt, error, progress);
        if (progress) await smsLog.logResults(key, progress.settled);
      }),
    markFailed: (key, attempts, error, result) =>
      ctx.transaction(async () => {
        await store.markFailed(key, attempts, error, result);
        if (result) await smsLog.logResults(key, result.recipients);
        await smsLog.logRestFailed(key, error);
      }),
  };
}
