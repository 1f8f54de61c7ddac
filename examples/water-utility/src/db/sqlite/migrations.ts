import { UssdError } from '@rolax/ussd-core';
import type Database from 'better-sqlite3';

// Versioned with PRAGMA user_version. Append new migrations; never edit one that has shipped.
// Money is integer cents, volumes integer litres, timestamps ISO-8601 UTC text (lexical order is time order
// because every writer uses Date#toISOString), outbox times epoch ms as the OutboxStore port defines them.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE customer_phones (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    phone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (customer_id, phone)
  );
  CREATE INDEX customer_phones_phone ON customer_phones(phone);

  CREATE TABLE accounts (
    number TEXT PRIMARY KEY,
    customer_id INTEGER REFERENCES customers(id),
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    location TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    credit_cents INTEGER NOT NULL DEFAULT 0 CHECK (credit_cents >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE account_phones (
    account_number TEXT NOT NULL REFERENCES accounts(number) ON DELETE CASCADE,
    phone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_number, phone)
  );
  CREATE INDEX account_phones_phone ON account_phones(phone);

  CREATE TABLE meters (
    id TEXT PRIMARY KEY,
    account_number TEXT NOT NULL REFERENCES accounts(number),
    sensor_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
    created_at TEXT NOT NULL
  );
  CREATE INDEX meters_account ON meters(account_number);

  CREATE TABLE meter_readings (
    meter_id TEXT NOT NULL REFERENCES meters(id),
    read_at TEXT NOT NULL,
    litres INTEGER NOT NULL CHECK (litres >= 0),
    source TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (meter_id, read_at)
  ) WITHOUT ROWID;

  CREATE TABLE bills (
    id INTEGER PRIMARY KEY,
    account_number TEXT NOT NULL REFERENCES accounts(number),
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    opening_litres INTEGER NOT NULL,
    closing_litres INTEGER NOT NULL,
    consumption_litres INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    credit_applied_cents INTEGER NOT NULL DEFAULT 0,
    paid_cents INTEGER NOT NULL DEFAULT 0,
    balance_cents INTEGER NOT NULL,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'partially_paid', 'paid')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (account_number, period)
  );

  CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    account_number TEXT NOT NULL REFERENCES accounts(number),
    bill_id INTEGER NOT NULL REFERENCES bills(id),
    attempt INTEGER NOT NULL,
    phone TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    currency TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('PENDING', 'PROCESSING', 'COMPLETE', 'FAILED')),
    paid_cents INTEGER,
    mpesa_reference TEXT,
    failure_reason TEXT,
    failure_code TEXT,
    failure_message TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT,
    UNIQUE (bill_id, attempt)
  );
  CREATE INDEX payments_bill_state ON payments(bill_id, state);
  CREATE INDEX payments_account ON payments(account_number, created_at);
  CREATE UNIQUE INDEX payments_provider_id ON payments(provider, provider_id) WHERE provider_id IS NOT NULL;

  CREATE TABLE payment_events (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments(id),
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    raw_state TEXT NOT NULL,
    applied INTEGER NOT NULL,
    provider_updated_at TEXT,
    received_at TEXT NOT NULL
  );
  CREATE INDEX payment_events_payment ON payment_events(payment_id, id);

  CREATE TABLE sequences (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  INSERT INTO sequences (name, value) VALUES ('issue', 0);

  CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL CHECK (category IN
      ('no_water', 'leak', 'burst_pipe', 'low_pressure', 'dirty_water', 'meter_fault', 'other')),
    description TEXT,
    account_number TEXT NOT NULL REFERENCES accounts(number),
    location TEXT,
    channel TEXT NOT NULL CHECK (channel IN ('ussd', 'sms')),
    reporter_phone TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    inbound_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT,
    resolved_at TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX issues_status ON issues(status, id);
  CREATE INDEX issues_account ON issues(account_number, id);

  CREATE TABLE sms_log (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    outbox_key TEXT,
    provider_message_id TEXT,
    from_phone TEXT,
    to_phone TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    delivery_status TEXT,
    failure_reason TEXT,
    issue_reference TEXT,
    payment_reference TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX sms_log_provider_id ON sms_log(provider_message_id) WHERE provider_message_id IS NOT NULL;
  CREATE INDEX sms_log_outbox_key ON sms_log(outbox_key) WHERE outbox_key IS NOT NULL;
  CREATE INDEX sms_log_to ON sms_log(to_phone, id);

  CREATE TABLE processed_inbound (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  ) WITHOUT ROWID;

  CREATE TABLE phone_preferences (
    phone TEXT PRIMARY KEY,
    language TEXT NOT NULL CHECK (language IN ('en', 'sw')),
    updated_at TEXT NOT NULL
  );

  CREATE TABLE outbox (
    key TEXT PRIMARY KEY,
    recipients TEXT NOT NULL,
    text TEXT NOT NULL,
    sender TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    leased_until INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_error TEXT,
    result TEXT,
    progress TEXT
  );
  CREATE INDEX outbox_due ON outbox(status, next_attempt_at, created_at);
  `,
  `
  CREATE TABLE ussd_sessions (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX ussd_sessions_expiry ON ussd_sessions(expires_at);
  `,
  // 2: repeated reports fold into one issue (counted), and every report is logged for the abuse limits.
  `
  ALTER TABLE issues ADD COLUMN reports INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE issue_reports (
    id INTEGER PRIMARY KEY,
    issue_reference TEXT NOT NULL REFERENCES issues(reference),
    account_number TEXT NOT NULL,
    category TEXT NOT NULL,
    phone TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX issue_reports_phone ON issue_reports(phone, created_at);
  CREATE INDEX issue_reports_account ON issue_reports(account_number, category, created_at);
  `,
  // 3: leases for background jobs, so one node at a time runs each (payment reconciliation, a billing run).
  `
  CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    leased_until INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema up to date. Each step runs in its own transaction; running it again does nothing. */
export function migrate(db: Database.Database): { from: number; to: number } {
  const read = () => Number(db.pragma('user_version', { simple: true }));
  const from = read();
  if (from > MIGRATIONS.length) {
    throw new UssdError(
      'STORE',
      `Database schema version ${from} is newer than this service knows (${MIGRATIONS.length}); upgrade the service`,
    );
  }
  for (let version = from + 1; version <= MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version - 1] as string;
    db.transaction(() => {
      // Another process may have migrated between our read and taking the write lock.
      if (read() >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
  return { from, to: read() };
}
