// @ts-nocheck
import { tableName } from './queryable.js';

export interface PostgresTables {
  /** Default `rolax_sessions`. */
  sessions?: string | undefined;
  /** Default `rolax_outbox`. */
  outbox?: string | undefined;
}

/**
 * The tables the stores need, as SQL that can run again safely. Put it in your own migrations, or run it once at
 * start-up under a lock when several nodes start together (concurrent `CREATE ... IF NOT EXISTS` may collide).
 */
export function postgresStoreSchema(tables: PostgresTables = {}): string {
  const sessions = tableName(tables.sessions ?? 'rolax_sessions');
  const outbox = tableName(tables.outbox ?? 'rolax_outbox');
  const bare = (t: string) => t.replace('.', '_');
  return `
CREATE TABLE IF NOT EXISTS ${sessions} (
  key text PRIMARY KEY,
  value text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS ${bare(sessions)}_expiry ON ${sessions} (expires_at);
CREATE TABLE IF NOT EXISTS ${outbox} (
  key text PRIMARY KEY,
  seq bigserial NOT NULL,
  message jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  leased_until bigint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  last_error text,
  result jsonb,
  progress jsonb
);
CREATE INDEX IF NOT EXISTS ${bare(outbox)}_due ON ${outbox} (created_at, seq) WHERE status = 'pending';
`;
}
