import type { Channel, Issue, IssueCategory, IssueStatus } from '../../domain/model.js';
import type { IssueRepository } from '../../domain/ports.js';
import { formatIssueReference } from '../sqlite/issues.js';
import { isoNow, num, type PgContext } from './context.js';

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
  reports: Number(r.reports),
  createdAt: r.created_at,
  acknowledgedAt: r.acknowledged_at,
  resolvedAt: r.resolved_at,
  updatedAt: r.updated_at,
});

export function postgresIssues(ctx: PgContext): IssueRepository {
  const one = async (sql: string, values: unknown[]) => {
    const row = await ctx.one<IssueRow>(sql, values);
    return row ? toIssue(row) : null;
  };
  return {
    addReport: async (reference, at) => {
      const issue = await one(
        'UPDATE issues SET reports = reports + 1, updated_at = $2 WHERE reference = $1 RETURNING *',
        [reference, at],
      );
      if (!issue) throw new Error(`issue ${reference} not found`);
      return issue;
    },
    // A sequence never hands the same number to two nodes; a rolled-back report leaves a gap, never a repeat.
    nextReference: async () =>
      formatIssueReference(num((await ctx.one<{ v: string }>(`SELECT nextval('issue_seq') AS v`))!.v)),
    create: async (reference, input) =>
      toIssue(
        (await ctx.one<IssueRow>(
          `INSERT INTO issues (reference, category, description, account_number, location, channel, reporter_phone,
             status, inbound_id, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $9)
           RETURNING *`,
          [
            reference,
            input.category,
            input.description,
            input.account,
            input.location,
            input.channel,
            input.reporterPhone,
            input.inboundId,
            isoNow(ctx),
          ],
        )) as IssueRow,
      ),
    getByReference: (reference) => one('SELECT * FROM issues WHERE reference = $1', [reference]),
    getByInboundId: (inboundId) => one('SELECT * FROM issues WHERE inbound_id = $1', [inboundId]),
    list: async (filter = {}) =>
      (
        await ctx.rows<IssueRow>(
          `SELECT * FROM issues
           WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR category = $2)
             AND ($3::text IS NULL OR account_number = $3) AND ($4::text IS NULL OR channel = $4)
           ORDER BY id DESC LIMIT $5`,
          [
            filter.status ?? null,
            filter.category ?? null,
            filter.account ?? null,
            filter.channel ?? null,
            filter.limit ?? 50,
          ],
        )
      ).map(toIssue),
    updateStatus: async (reference, status, at) => {
      const row = await ctx.one<IssueRow>(
        `UPDATE issues SET status = $2, updated_at = $3,
           acknowledged_at = CASE WHEN $2 = 'acknowledged' THEN COALESCE(acknowledged_at, $3) ELSE acknowledged_at END,
           resolved_at = CASE WHEN $2 = 'resolved' THEN COALESCE(resolved_at, $3) ELSE resolved_at END
         WHERE reference = $1 RETURNING *`,
        [reference, status, at],
      );
      if (!row) throw new Error(`issue ${reference} not found`);
      return toIssue(row);
    },
  };
}
