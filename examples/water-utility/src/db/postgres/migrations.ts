import { UssdError } from '@rolax/ussd-core';
import { postgresStoreSchema } from '@rolax/ussd-core/postgres';
import type pg from 'pg';

// Versioned in schema_migrations. Append new migrations; never edit one that has shipped. Money is bigint cents,
// volumes bigint litres, timestamps ISO-8601 UTC text as in SQLite (every writer uses Date#toISOString, so text
// order is time order), outbox and session times epoch ms as the core's stores define them.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE customers (
    id serial PRIMARY KEY,
    code text NOT NULL UNIQUE,
    name text NOT NULL,
    created_at text NOT NULL
  );
  CREATE TABLE customer_phones (
    customer_id integer NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    phone text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (customer_id, phone)
  );
  CREATE INDEX customer_phones_phone ON customer_phones(phone);

  CREATE TABLE accounts (
    number text PRIMARY KEY,
    customer_id integer REFERENCES customers(id),
    name text NOT NULL,
    zone text NOT NULL,
    location text NOT NULL,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    credit_cents bigint NOT NULL DEFAULT 0 CHECK (credit_cents >= 0),
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE TABLE account_phones (
    account_number text NOT NULL REFERENCES accounts(number) ON DELETE CASCADE,
    phone text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (account_number, phone)
  );
  CREATE INDEX account_phones_phone ON account_phones(phone);

  CREATE TABLE meters (
    id text PRIMARY KEY,
    account_number text NOT NULL REFERENCES accounts(number),
    sensor_id text NOT NULL UNIQUE,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
    created_at text NOT NULL
  );
  CREATE INDEX meters_account ON meters(account_number);

  CREATE TABLE meter_readings (
    meter_id text NOT NULL REFERENCES meters(id),
    read_at text NOT NULL,
    litres bigint NOT NULL CHECK (litres >= 0),
    source text NOT NULL,
    received_at text NOT NULL,
    PRIMARY KEY (meter_id, read_at)
  );

  CREATE TABLE bills (
    id serial PRIMARY KEY,
    account_number text NOT NULL REFERENCES accounts(number),
    period text NOT NULL,
    period_start text NOT NULL,
    period_end text NOT NULL,
    opening_litres bigint NOT NULL,
    closing_litres bigint NOT NULL,
    consumption_litres bigint NOT NULL,
    amount_cents bigint NOT NULL,
    credit_applied_cents bigint NOT NULL DEFAULT 0,
    paid_cents bigint NOT NULL DEFAULT 0,
    balance_cents bigint NOT NULL,
    due_date text NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'partially_paid', 'paid')),
    created_at text NOT NULL,
    updated_at text NOT NULL,
    UNIQUE (account_number, period)
  );

  CREATE TABLE payments (
    id serial PRIMARY KEY,
    reference text NOT NULL UNIQUE,
    account_number text NOT NULL REFERENCES accounts(number),
    bill_id integer NOT NULL REFERENCES bills(id),
    attempt integer NOT NULL,
    phone text NOT NULL,
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    currency text NOT NULL,
    provider text NOT NULL,
    provider_id text,
    state text NOT NULL CHECK (state IN ('PENDING', 'PROCESSING', 'COMPLETE', 'FAILED')),
    paid_cents bigint,
    mpesa_reference text,
    failure_reason text,
    failure_code text,
    failure_message text,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    completed_at text,
    UNIQUE (bill_id, attempt)
  );
  CREATE INDEX payments_bill_state ON payments(bill_id, state);
  CREATE INDEX payments_account ON payments(account_number, created_at);
  CREATE INDEX payments_state ON payments(state, id);
  CREATE UNIQUE INDEX payments_provider_id ON payments(provider, provider_id) WHERE provider_id IS NOT NULL;

  CREATE TABLE payment_events (
    id serial PRIMARY KEY,
    payment_id integer NOT NULL REFERENCES payments(id),
    from_state text NOT NULL,
    to_state text NOT NULL,
    raw_state text NOT NULL,
    applied boolean NOT NULL,
    provider_updated_at text,
    received_at text NOT NULL
  );
  CREATE INDEX payment_events_payment ON payment_events(payment_id, id);

  CREATE SEQUENCE issue_seq;
  CREATE TABLE issues (
    id serial PRIMARY KEY,
    reference text NOT NULL UNIQUE,
    category text NOT NULL CHECK (category IN
      ('no_water', 'leak', 'burst_pipe', 'low_pressure', 'dirty_water', 'meter_fault', 'other')),
    description text,
    account_number text NOT NULL REFERENCES accounts(number),
    location text,
    channel text NOT NULL CHECK (channel IN ('ussd', 'sms')),
    reporter_phone text NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    inbound_id text UNIQUE,
    created_at text NOT NULL,
    acknowledged_at text,
    resolved_at text,
    updated_at text NOT NULL
  );
  CREATE INDEX issues_status ON issues(status, id);
  CREATE INDEX issues_account ON issues(account_number, id);

  CREATE TABLE sms_log (
    id serial PRIMARY KEY,
    direction text NOT NULL CHECK (direction IN ('in', 'out')),
    outbox_key text,
    provider_message_id text,
    from_phone text,
    to_phone text NOT NULL,
    text text NOT NULL,
    status text NOT NULL,
    delivery_status text,
    failure_reason text,
    issue_reference text,
    payment_reference text,
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE INDEX sms_log_provider_id ON sms_log(provider_message_id) WHERE provider_message_id IS NOT NULL;
  CREATE INDEX sms_log_outbox_key ON sms_log(outbox_key) WHERE outbox_key IS NOT NULL;
  CREATE INDEX sms_log_to ON sms_log(to_phone, id);

  CREATE TABLE processed_inbound (
    kind text NOT NULL,
    id text NOT NULL,
    processed_at text NOT NULL,
    PRIMARY KEY (kind, id)
  );

  CREATE TABLE phone_preferences (
    phone text PRIMARY KEY,
    language text NOT NULL CHECK (language IN ('en', 'sw')),
    updated_at text NOT NULL
  );
  ${postgresStoreSchema({ sessions: 'ussd_sessions', outbox: 'outbox' })}
  `,
  // 2: repeated reports fold into one issue (counted), and every report is logged for the abuse limits.
  `
  ALTER TABLE issues ADD COLUMN reports integer NOT NULL DEFAULT 1;
  CREATE TABLE issue_reports (
    id bigserial PRIMARY KEY,
    issue_reference text NOT NULL REFERENCES issues(reference),
    account_number text NOT NULL,
    category text NOT NULL,
    phone text NOT NULL,
    created_at text NOT NULL
  );
  CREATE INDEX issue_reports_phone ON issue_reports(phone, created_at);
  CREATE INDEX issue_reports_account ON issue_reports(account_number, category, created_at);
  `,
  // 3: leases for background jobs, so one node at a time runs each (payment reconciliation, a billing run).
  `
  CREATE TABLE job_leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    leased_until bigint NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

// Any constant of our own: every node starting at once waits here, one migrates, the rest find nothing to do.
const MIGRATION_LOCK = 7_220_001;

/** Brings the schema up to date under an advisory lock; each step commits with its version row. */
export async function migrate(pool: pg.Pool): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const read = async () =>
        Number((await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v);
      const from = await read();
      if (from > MIGRATIONS.length) {
        throw new UssdError(
          'STORE',
          `Database schema version ${from} is newer than this service knows (${MIGRATIONS.length}); upgrade the service`,
        );
      }
      for (let version = from + 1; version <= MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query(MIGRATIONS[version - 1] as string);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
      return { from, to: await read() };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
