import type { Channel, Issue, IssueCategory, IssueStatus } from '../../domain/model.js';
import type { IssueRepository } from '../../domain/ports.js';
import { isoNow, type SqliteContext } from './context.js';

interface IssueRow {
  reference: string;
  category: IssueCategory;
  description: string | null;
  account_number: string;
  location: string | null;
  channel: Channel;
  reporter_phone: string;
  status: IssueStatus;
  inbound_id: string | null;
  reports: number;
  created_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  updated_at: string;
}

const toIssue = (r: IssueRow): Issue => ({
  reference: r.reference,
  category: r.category,
  description: r.description,
  account: r.account_number,
  location: r.location,
  channel: r.channel,
  reporterPhone: r.reporter_phone,
  status: r.status,
  inboundId: r.inbound_id,
  reports: r.reports,
  createdAt: r.created_at,
  acknowledgedAt: r.acknowledged_at,
  resolvedAt: r.resolved_at,
  updatedAt: r.updated_at,
});

/** `123` -> `R-000123`; grows past six digits rather than wrapping. */
export const formatIssueReference = (n: number): string => `R-${String(n).padStart(6, '0')}`;

export function sqliteIssues(ctx: SqliteContext): IssueRepository {
  const { db, exec } = ctx;
  const next = db.prepare<[], { value: number }>(
    `UPDATE sequences SET value = value + 1 WHERE name = 'issue' RETURNING value`,
  );
  const insert = db.prepare(
    `INSERT INTO issues (reference, category, description, account_number, location, channel, reporter_phone,
       status, inbound_id, created_at, updated_at)
     VALUES (@reference, @category, @description, @account, @location, @channel, @reporterPhone, 'open',
       @inboundId, @at, @at)
     RETURNING *`,
  );
  const byRef = db.prepare<[string], IssueRow>('SELECT * FROM issues WHERE reference = ?');
  const byInbound = db.prepare<[string], IssueRow>('SELECT * FROM issues WHERE inbound_id = ?');
  const list = db.prepare<
    { status: string | null; category: string | null; account: string | null; channel: string | null; limit: number },
    IssueRow
  >(
    `SELECT * FROM issues
     WHERE (@status IS NULL OR status = @status) AND (@category IS NULL OR category = @category)
       AND (@account IS NULL OR account_number = @account) AND (@channel IS NULL OR channel = @channel)
     ORDER BY id DESC LIMIT @limit`,
  );
  const setStatus = db.prepare<{ reference: string; status: string; at: string }, IssueRow>(
    `UPDATE issues SET status = @status, updated_at = @at,
       acknowledged_at = CASE WHEN @status = 'acknowledged' THEN COALESCE(acknowledged_at, @at) ELSE acknowledged_at END,
       resolved_at = CASE WHEN @status = 'resolved' THEN COALESCE(resolved_at, @at) ELSE resolved_at END
     WHERE reference = @reference RETURNING *`,
  );

  const addReport = db.prepare<{ reference: string; at: string }, IssueRow>(
    'UPDATE issues SET reports = reports + 1, updated_at = @at WHERE reference = @reference RETURNING *',
  );

  return {
    addReport: (reference, at) =>
      exec.run(() => {
        const row = addReport.get({ reference, at });
        if (!row) throw new Error(`issue ${reference} not found`);
        return toIssue(row);
      }),
    nextReference: () =>
      exec.run(() => {
        const row = next.get();
        if (!row) throw new Error('issue sequence missing');
        return formatIssueReference(row.value);
      }),
    create: (reference, input) =>
      exec.run(() =>
        toIssue(
          insert.get({
            reference,
            category: input.category,
            description: input.description,
            account: input.account,
            location: input.location,
            channel: input.channel,
            reporterPhone: input.reporterPhone,
            inboundId: input.inboundId,
            at: isoNow(ctx),
          }) as IssueRow,
        ),
      ),
    getByReference: (reference) =>
      exec.run(() => {
        const row = byRef.get(reference);
        return row ? toIssue(row) : null;
      }),
    getByInboundId: (inboundId) =>
      exec.run(() => {
        const row = byInbound.get(inboundId);
        return row ? toIssue(row) : null;
      }),
    list: (filter = {}) =>
      exec.run(() =>
        list
          .all({
            status: filter.status ?? null,
            category: filter.category ?? null,
            account: filter.account ?? null,
            channel: filter.channel ?? null,
            limit: filter.limit ?? 50,
          })
          .map(toIssue),
      ),
    updateStatus: (reference, status, at) =>
      exec.run(() => {
        const row = setStatus.get({ reference, status, at });
        if (!row) throw new Error(`issue ${reference} not found`);
        return toIssue(row);
      }),
  };
}
