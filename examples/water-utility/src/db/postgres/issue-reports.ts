import type { IssueReportLog } from '../../domain/ports.js';
import { num, type PgContext } from './context.js';

export function postgresIssueReports(ctx: PgContext): IssueReportLog {
  return {
    record: async (e) => {
      await ctx.run(
        `INSERT INTO issue_reports (issue_reference, account_number, category, phone, created_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [e.issueReference, e.account, e.category, e.phone, e.at],
      );
    },
    countSince: async (filter, since) => {
      const row =
        'phone' in filter
          ? await ctx.one<{ n: string }>(
              'SELECT count(*) AS n FROM issue_reports WHERE phone = $1 AND created_at >= $2',
              [filter.phone, since],
            )
          : await ctx.one<{ n: string }>(
              `SELECT count(*) AS n FROM issue_reports
               WHERE account_number = $1 AND ($2::text IS NULL OR category = $2) AND created_at >= $3`,
              [filter.account, filter.category ?? null, since],
            );
      return num(row?.n ?? '0');
    },
  };
}
