import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, type TestClock, testClock } from '../db/test-support.js';
import { cleanText, createIssueService, type IssueService } from './issues.js';

const OPS = ['+254700000001', '+254700000002'];
/** The same phones with the first one listed twice. */
const OPS_WITH_REPEAT = ['+254700000001', ...OPS];
let clock: TestClock;
let repos: SqliteRepositories;
let issues: IssueService;

/** A new database with account 1001 (phone +254711000111, Zone A) and an issue service that alerts `opsPhones`. */
async function open(opsPhones: string[], location: string) {
  clock = testClock('2026-11-20T10:00:00.000Z');
  repos = memoryRepos(clock);
  issues = createIssueService({ repos, brand: TEST_BRAND, opsPhones, now: clock.now });
  await addAccount(repos, '1001', '+254711000111', { zone: 'Zone A', location });
}

/** A burst pipe with a description, by USSD. */
const report = (extra: Partial<Parameters<IssueService['reportIssue']>[0]> = {}) =>
  issues.reportIssue({
    account: '1001',
    category: 'burst_pipe',
    description: 'Water everywhere near the gate',
    channel: 'ussd',
    phone: '+254711000111',
    ...extra,
  });

/** A leak without a description, by USSD. */
const reportLeak = (extra: Partial<Parameters<IssueService['reportIssue']>[0]> = {}) =>
  issues.reportIssue({ account: '1001', category: 'leak', channel: 'ussd', phone: '+254711000111', ...extra });

const alerts = () => outboxRows(repos).filter((r) => r.key.startsWith('issue-alert:'));

describe('reportIssue', () => {
  beforeEach(() => open(OPS, 'Kahawa West, House 14'));

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
  beforeEach(() => open(OPS, 'Kahawa West, House 14'));

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

describe('cleanText', () => {
  it('turns control and separator characters into single spaces and trims', () => {
    expect(cleanText('\u0000 a\u001fb\u007fc\u0080d\u009fe\u2028f\u2029g \t\n h ')).toBe('a b c d e f g h');
    expect(cleanText('~ ¡ ‧ é')).toBe('~ ¡ ‧ é');
    expect(cleanText('   ')).toBe('');
  });
});

describe('reportIssue: what is stored, the alert texts, the fold window and the report limits', () => {
  beforeEach(() => open(OPS_WITH_REPEAT, 'Kahawa West'));

  it('stores a cleaned description cut at 500 characters, or none, and the account address by default', async () => {
    const r = await reportLeak({ description: `  ${'x'.repeat(499)}\u0000yz ` });
    expect(r.ok && r.issue).toMatchObject({
      // Cut after cleaning: the 500th character is the space before `yz`.
      description: `${'x'.repeat(499)} `,
      location: 'Kahawa West, Zone A',
      account: '1001',
      channel: 'ussd',
      reporterPhone: '+254711000111',
      inboundId: null,
      category: 'leak',
    });
    const blank = await reportLeak({ category: 'no_water', description: ' \u0000 ', location: ' \t ' });
    expect(blank.ok && blank.issue).toMatchObject({ description: null, location: 'Kahawa West, Zone A' });
    const placed = await reportLeak({ category: 'dirty_water', description: null, location: ' Stage\u0007 road ' });
    expect(placed.ok && placed.issue).toMatchObject({ description: null, location: 'Stage road' });
  });

  it('sends the operations phones one alert each with the written-out text, once per phone even if listed twice', async () => {
    await reportLeak({ description: 'Pipe leaking at the gate', channel: 'sms' });
    expect(alerts().map((r) => [r.to[0], r.text])).toEqual([
      ['+254700000001', 'NEW R-000001 Leak, a/c 1001, Kahawa West, Zone A (sms): Pipe leaking at the gate'],
      ['+254700000002', 'NEW R-000001 Leak, a/c 1001, Kahawa West, Zone A (sms): Pipe leaking at the gate'],
    ]);
    expect(alerts()[0]?.key).toMatch(/^issue-alert:1001:leak:2026-11-20T10:[0-9a-f]{16}$/);
    expect(outboxRows(repos)[0]).toEqual({
      key: expect.stringMatching(/^issue:R-000001:confirm:[0-9a-f]{16}$/),
      to: ['+254711000111'],
      text: 'rolax Water: Report R-000001 (Leak) for a/c 1001 received. We will keep you updated. Help: 0800 720 000',
    });
  });

  it('a repeat in the next hour alerts again with the number of reports', async () => {
    await reportLeak();
    clock.set('2026-11-20T11:00:00.000Z');
    const again = await reportLeak({ phone: '+254711000222' });
    expect(again).toMatchObject({ ok: true, created: false, issue: { reference: 'R-000001', reports: 2 } });
    expect(alerts().map((r) => r.text.split(' R-')[0])).toEqual(['NEW', 'NEW', '2 REPORTS', '2 REPORTS']);
  });

  it('folds a repeat into an open issue younger than a day, not one a day old or resolved', async () => {
    await reportLeak();
    clock.set('2026-11-21T09:59:59.999Z');
    expect(await reportLeak()).toMatchObject({ created: false, issue: { reference: 'R-000001' } });
    clock.set('2026-11-21T10:00:00.000Z');
    expect(await reportLeak()).toMatchObject({ created: true, issue: { reference: 'R-000002' } });
    await issues.changeStatus('R-000002', 'resolved');
    expect(await reportLeak()).toMatchObject({ created: true, issue: { reference: 'R-000003' } });
    await issues.changeStatus('R-000003', 'acknowledged');
    expect(await reportLeak()).toMatchObject({ created: false, issue: { reference: 'R-000003' } });
  });

  it('takes five reports from one phone in an hour and refuses the sixth', async () => {
    for (const category of ['leak', 'no_water', 'burst_pipe', 'low_pressure', 'dirty_water'] as const) {
      expect((await reportLeak({ category })).ok).toBe(true);
    }
    expect(await reportLeak({ category: 'other' })).toEqual({
      ok: false,
      reason: 'limited',
      message: 'This phone has made too many reports in the last hour',
    });
    // Only three confirmations reach a phone in an hour.
    expect(outboxRows(repos).filter((r) => r.to[0] === '+254711000111')).toHaveLength(3);
    clock.set('2026-11-20T11:00:00.001Z');
    expect((await reportLeak({ category: 'other' })).ok).toBe(true);
    expect(outboxRows(repos).filter((r) => r.to[0] === '+254711000111')).toHaveLength(4);
  });

  it('takes ten reports for one account in an hour, from any phones, and refuses the eleventh', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await reportLeak({ phone: `+25472200000${i}` })).ok).toBe(true);
    }
    expect(await reportLeak({ phone: '+254733000000' })).toEqual({
      ok: false,
      reason: 'limited',
      message: 'Account 1001 has had too many reports in the last hour',
    });
  });

  it('refuses an unknown account by number', async () => {
    expect(await reportLeak({ account: '9999' })).toEqual({
      ok: false,
      reason: 'unknown_account',
      message: 'Account 9999 does not exist',
    });
  });
});

describe('changeStatus: the texts, an unchanged status, the refusals, and looking issues up', () => {
  beforeEach(async () => {
    await open(OPS_WITH_REPEAT, 'Kahawa West');
    await reportLeak();
  });

  it('texts the reporter the written-out status, in Swahili when chosen', async () => {
    await repos.preferences.setLanguage('+254711000111', 'sw');
    clock.set('2026-11-20T12:00:00.000Z');
    const r = await issues.changeStatus('R-000001', 'acknowledged');
    expect(r).toMatchObject({ ok: true, changed: true, issue: { status: 'acknowledged' } });
    expect(outboxRows(repos).at(-1)).toEqual({
      key: 'issue:R-000001:acknowledged',
      to: ['+254711000111'],
      text: 'rolax Water: Ripoti R-000001 imepokelewa na timu yetu na inashughulikiwa. Msaada: 0800 720 000',
    });
    expect(r.ok && r.issue.acknowledgedAt).toBe('2026-11-20T12:00:00.000Z');
  });

  it('leaves an issue already in that state as it is, without a text', async () => {
    const before = outboxRows(repos).length;
    expect(await issues.changeStatus('R-000001', 'open')).toMatchObject({ ok: true, changed: false });
    expect(outboxRows(repos)).toHaveLength(before);
  });

  it('explains the refusals', async () => {
    await issues.changeStatus('R-000001', 'resolved');
    expect(await issues.changeStatus('R-000001', 'acknowledged')).toEqual({
      ok: false,
      reason: 'invalid_transition',
      message: 'Issue R-000001 is resolved; it cannot go back to acknowledged',
    });
    expect(await issues.changeStatus('R-000404', 'resolved')).toEqual({
      ok: false,
      reason: 'not_found',
      message: 'No issue R-000404',
    });
  });

  it('gets and lists issues', async () => {
    expect((await issues.get('R-000001'))?.category).toBe('leak');
    expect(await issues.get('R-000404')).toBeNull();
    expect((await issues.list({ status: 'open' })).map((i) => i.reference)).toEqual(['R-000001']);
  });
});
