import type { IssueReportLog } from '../../domain/ports.js';
import type { SqliteContext } from './context.js';

export function sqliteIssueReports(ctx: SqliteContext): IssueReportLog {
  const { db, exec } = ctx;
  const insert = db.prepare(
    `INSERT INTO issue_reports (issue_reference, account_number, category, phone, created_at)
     VALUES (@issueReference, @account, @category, @phone, @at)`,
  );
  const byPhone = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM issue_reports WHERE phone = ? AND created_at >= ?',
  );
  const byAccount = db.prepare<{ account: string; category: string | null; since: string }, { n: number }>(
    `SELECT count(*) AS n FROM issue_reports
     WHERE account_number = @account AND (@category IS NULL OR category = @category) AND created_at >= @since`,
  );
  return {
    record: (entry) =>
      exec.run(() => {
        insert.run(entry);
      }),
    countSince: (filter, since) =>
      exec.run(() =>
        'phone' in filter
          ? (byPhone.get(filter.phone, since)?.n ?? 0)
          : (byAccount.get({ account: filter.account, category: filter.category ?? null, since })?.n ?? 0),
      ),
  };
}
