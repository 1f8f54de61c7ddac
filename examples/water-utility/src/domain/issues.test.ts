import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, testClock } from '../db/test-support.js';
import { createIssueService, type IssueService } from './issues.js';

const OPS = ['+254700000001', '+254700000002'];
let repos: SqliteRepositories;
let issues: IssueService;

beforeEach(async () => {
  const clock = testClock();
  repos = memoryRepos(clock);
  issues = createIssueService({ repos, brand: TEST_BRAND, opsPhones: OPS, now: clock.now });
  await addAccount(repos, '1001', '+254711000111', { zone: 'Zone A', location: 'Kahawa West, House 14' });
});

const report = (extra: Partial<Parameters<IssueService['reportIssue']>[0]> = {}) =>
  issues.reportIssue({
    account: '1001',
    category: 'burst_pipe',
    description: 'Water everywhere near the gate',
    channel: 'ussd',
    phone: '+254711000111',
    ...extra,
  });

describe('reportIssue', () => {
  it('records the report with the next reference and queues the confirmation and one alert per ops phone', async () => {
    const r = await report();
    expect(r).toMatchObject({ ok: true, created: true, issue: { reference: 'R-000001', status: 'open', reports: 1 } });
    const rows = outboxRows(repos).filter((m) => m.key.startsWith('issue'));
    expect(rows.map((m) => m.to[0])).toEqual(['+254711000111', ...OPS]);
    const [confirm, alert] = rows;
    expect(confirm?.text).toContain('R-000001');
    expect(confirm?.text).toContain('0800 720 000');
    expect(alert?.text).toContain('a/c 1001');
    expect(alert?.text).toContain('Kahawa West');
    expect(alert?.text).toContain('Burst pipe');
    expect(alert?.text).toContain('Water everywhere near the gate');
  });

  it('folds repeats for the same account and category into one issue: no second SMS to anyone', async () => {
    await report();
    const again = await report({ phone: '+254711000222' });
    const third = await report();
    expect(again).toMatchObject({ ok: true, created: false, issue: { reference: 'R-000001', reports: 2 } });
    expect(third).toMatchObject({ ok: true, created: false, issue: { reference: 'R-000001', reports: 3 } });
    expect((await repos.issues.list()).map((i) => i.reference)).toEqual(['R-000001']);
    // Each reporting phone is confirmed once; the operations phones are alerted once this hour.
    expect(outboxRows(repos).map((m) => m.to[0])).toEqual(['+254711000111', ...OPS, '+254711000222']);
    expect((await report({ category: 'leak' })).ok && (await repos.issues.list()).length).toBe(2);
  });

  it('never sends the alert to the reporter, even one on the ops list', async () => {
    await report({ phone: OPS[0] });
    const rows = outboxRows(repos);
    const toReporter = rows.filter((m) => m.to[0] === OPS[0]);
    expect(toReporter.map((m) => m.key)).toEqual([expect.stringMatching(/^issue:R-000001:confirm:/)]);
    expect(rows.filter((m) => m.key.startsWith('issue-alert:')).map((m) => m.to[0])).toEqual([OPS[1]]);
  });

  it('records one issue for an inbound id delivered twice', async () => {
    const a = await report({ inboundId: 'ATXid_1', channel: 'sms' });
    const b = await report({ inboundId: 'ATXid_1', channel: 'sms' });
    expect(a).toMatchObject({ ok: true, created: true });
    expect(b).toMatchObject({ ok: true, created: false });
    expect(a.ok && b.ok && a.issue.reference === b.issue.reference).toBe(true);
    expect(await repos.issues.list()).toHaveLength(1);
    expect(outboxRows(repos)).toHaveLength(3);
  });

  it('refuses an unknown account and records nothing', async () => {
    expect(await report({ account: '9999' })).toMatchObject({ ok: false, reason: 'unknown_account' });
    expect(outboxRows(repos)).toHaveLength(0);
  });

  it('confirms in Swahili for a phone that chose it, and keeps alerts within one SMS', async () => {
    await repos.preferences.setLanguage('+254711000111', 'sw');
    await report({ description: `Bomba limepasuka ${'sana '.repeat(60)}` });
    const rows = outboxRows(repos);
    expect(rows[0]?.text).toContain('imepokelewa');
    for (const row of rows) expect(row.text.length).toBeLessThanOrEqual(160);
  });
});

describe('changeStatus', () => {
  it('texts the reporter on acknowledged and on resolved, once each', async () => {
    await report();
    expect(await issues.changeStatus('R-000001', 'acknowledged')).toMatchObject({ ok: true, changed: true });
    expect(await issues.changeStatus('R-000001', 'acknowledged')).toMatchObject({ ok: true, changed: false });
    const resolved = await issues.changeStatus('R-000001', 'resolved');
    expect(resolved).toMatchObject({ ok: true, issue: { status: 'resolved' } });
    expect(resolved.ok && resolved.issue.acknowledgedAt && resolved.issue.resolvedAt).toBeTruthy();
    const updates = outboxRows(repos).filter((m) => /:(acknowledged|resolved)$/.test(m.key));
    expect(updates.map((m) => [m.key, m.to[0]])).toEqual([
      ['issue:R-000001:acknowledged', '+254711000111'],
      ['issue:R-000001:resolved', '+254711000111'],
    ]);
  });

  it('refuses to move backwards and reports an unknown reference', async () => {
    await report();
    await issues.changeStatus('R-000001', 'resolved');
    expect(await issues.changeStatus('R-000001', 'open')).toMatchObject({ ok: false, reason: 'invalid_transition' });
    expect(await issues.changeStatus('R-000404', 'resolved')).toMatchObject({ ok: false, reason: 'not_found' });
  });
});
