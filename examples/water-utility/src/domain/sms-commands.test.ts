import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, type TestClock, testClock } from '../db/test-support.js';
import { createIssueService } from './issues.js';
import type { IssueCategory } from './model.js';
import { createSmsCommandHandler, guessCategory, HELP_REPLIES_PER_HOUR, parseIssueSms } from './sms-commands.js';

describe('parseIssueSms', () => {
  const ok: [string, string, string, IssueCategory][] = [
    ['1001#No water since morning', '1001', 'No water since morning', 'no_water'],
    ['acc 1001 # no water', '1001', 'no water', 'no_water'],
    ['A/C1001#Leak at gate', '1001', 'Leak at gate', 'leak'],
    ['ACCOUNT 1001#burst pipe on Mwihoko rd', '1001', 'burst pipe on Mwihoko rd', 'burst_pipe'],
    ['  acc1001#  maji yanavuja  ', '1001', 'maji yanavuja', 'leak'],
    ['akaunti 2001 # bomba limepasuka', '2001', 'bomba limepasuka', 'burst_pipe'],
    ['Acc no. 2001#Hakuna maji tangu jana', '2001', 'Hakuna maji tangu jana', 'no_water'],
    ['a/c 3001 # presha iko chini', '3001', 'presha iko chini', 'low_pressure'],
    ['3001#water is dirty and brown', '3001', 'water is dirty and brown', 'dirty_water'],
    ['3001 # maji machafu', '3001', 'maji machafu', 'dirty_water'],
    ['1002#meter not turning', '1002', 'meter not turning', 'meter_fault'],
    ['1002#mita imeharibika', '1002', 'mita imeharibika', 'meter_fault'],
    ['1002#low pressure in the evening', '1002', 'low pressure in the evening', 'low_pressure'],
    ['1002#Someone is stealing water', '1002', 'Someone is stealing water', 'other'],
    ['1001 no water', '1001', 'no water', 'no_water'],
    ['1001:\nleak\nnear the kitchen', '1001', 'leak near the kitchen', 'leak'],
  ];
  it.each(ok)('reads %j', (text, account, description, category) => {
    expect(parseIssueSms(text)).toEqual({ ok: true, account, description, category });
  });

  const bad: [string, string][] = [
    ['Hello', 'format'],
    ['', 'format'],
    ['Please help us', 'format'],
    ['#no water', 'format'],
    ['1001#', 'no_description'],
    ['acc 1001', 'no_description'],
    ['1001#   ...', 'no_description'],
  ];
  it.each(bad)('asks for the format for %j', (text, reason) => {
    expect(parseIssueSms(text)).toMatchObject({ ok: false, reason });
  });

  it('prefers the more specific category', () => {
    expect(guessCategory('burst pipe leaking everywhere')).toBe('burst_pipe');
    expect(guessCategory('hakuna presha')).toBe('low_pressure');
    expect(guessCategory('meters leaking')).toBe('leak');
  });
});

describe('guessCategory: English and Swahili keywords, whole English words only', () => {
  const cases: [string, IssueCategory][] = [
    ['a burst main', 'burst_pipe'],
    ['pipe is bust', 'burst_pipe'],
    ['broken pipe here', 'burst_pipe'],
    ['the pipe broke', 'burst_pipe'],
    ['bomba imevunjika', 'burst_pipe'],
    ['leaking tap', 'leak'],
    ['tap drips', 'leak'],
    ['mabomba yanavuja', 'leak'],
    ['no pressure', 'low_pressure'],
    ['only trickles', 'low_pressure'],
    ['low flow today', 'low_pressure'],
    ['shinikizo chini', 'low_pressure'],
    ['maji kidogo sana', 'low_pressure'],
    ['yanatoka, inatoka kidogo', 'low_pressure'],
    ['muddy', 'dirty_water'],
    ['brown colour', 'dirty_water'],
    ['it smells', 'dirty_water'],
    ['ina harufu', 'dirty_water'],
    ['kuna tope', 'dirty_water'],
    ['metres wrong', 'meter_fault'],
    ['meta mbaya', 'meter_fault'],
    ['we are without water', 'no_water'],
    ['no supply', 'no_water'],
    ['water off since 6', 'no_water'],
    ['dry taps', 'no_water'],
    ['dry tap', 'no_water'],
    ['maji hamna', 'no_water'],
    ['maji hayatoki', 'no_water'],
    ['maji hayaji', 'no_water'],
    // Whole English words only.
    ['sunburst', 'other'],
    ['unleaked', 'other'],
    ['barometers', 'other'],
    ['topetope', 'other'],
    ['thermometer', 'other'],
  ];
  it.each(cases)('%j is %s', (text, category) => {
    expect(guessCategory(text)).toBe(category);
  });
});

describe('parseIssueSms: account prefixes, separators and account number lengths', () => {
  const ok: [string, string, string][] = [
    ['ac 1001 leak', '1001', 'leak'],
    ['AC. 1001 leak', '1001', 'leak'],
    ['account number 1001: leak', '1001', 'leak'],
    ['account no 1001 - leak', '1001', 'leak'],
    ['akaunti nambari 1001 * leak', '1001', 'leak'],
    ['acc: 1001#leak', '1001', 'leak'],
    ['acc-1001#leak', '1001', 'leak'],
    ['Acc.1001#leak', '1001', 'leak'],
    ['100#leak', '100', 'leak'],
    ['123456789012#leak', '123456789012', 'leak'],
    ['1001##:- leak', '1001', 'leak'],
    ['1001 # #- leak', '1001', 'leak'],
    ['1001#2 leaks', '1001', '2 leaks'],
  ];
  it.each(ok)('reads %j', (text, account, description) => {
    expect(parseIssueSms(text)).toEqual({ ok: true, account, description, category: 'leak' });
  });

  const bad: [string, Record<string, unknown>][] = [
    ['10#leak', { ok: false, reason: 'format' }],
    ['1234567890123#leak', { ok: false, reason: 'format' }],
    ['x1001#leak', { ok: false, reason: 'format' }],
    ['1001x#leak', { ok: false, reason: 'format' }],
    ['1001', { ok: false, reason: 'no_description', account: '1001' }],
    ['account no. 1001 ##', { ok: false, reason: 'no_description', account: '1001' }],
    ['akaunti 1001#', { ok: false, reason: 'no_description', account: '1001' }],
    ['1001 # 12 34', { ok: false, reason: 'no_description', account: '1001' }],
    ['1001#leak', { ok: true, account: '1001', description: 'leak', category: 'leak' }],
  ];
  it.each(bad)('%j', (text, expected) => {
    expect(parseIssueSms(text)).toEqual(expected);
  });
});

describe('handleIncomingSms', () => {
  let repos: SqliteRepositories;
  let clock: TestClock;
  let handle: ReturnType<typeof createSmsCommandHandler>['handleIncomingSms'];

  beforeEach(async () => {
    clock = testClock('2026-11-20T10:00:00.000Z');
    repos = memoryRepos(clock);
    const issues = createIssueService({ repos, brand: TEST_BRAND, opsPhones: ['+254700000001'], now: clock.now });
    handle = createSmsCommandHandler({ repos, issues, brand: TEST_BRAND, now: clock.now }).handleIncomingSms;
    await addAccount(repos, '1001');
  });

  it('records one issue when the same SMS id arrives twice', async () => {
    const sms = { id: 'ATXid_abc', from: '+254722000222', to: '22384', text: 'acc 1001 # no water' };
    expect(await handle(sms)).toEqual({ outcome: 'issue_reported', issueReference: 'R-000001', created: true });
    expect(await handle(sms)).toEqual({ outcome: 'duplicate' });
    const issues = await repos.issues.list();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      channel: 'sms',
      category: 'no_water',
      reporterPhone: '+254722000222',
      inboundId: 'ATXid_abc',
    });
    expect(outboxRows(repos)).toHaveLength(2);
    expect(await repos.smsLog.list({ direction: 'in' })).toHaveLength(1);
  });

  it('answers an unknown account with the format', async () => {
    expect(await handle({ id: 'x1', from: '+254722000222', text: '9999#leak' })).toEqual({
      outcome: 'help',
      reason: 'unknown_account',
      replied: true,
    });
    const [reply] = outboxRows(repos);
    expect(reply?.to).toEqual(['+254722000222']);
    expect(reply?.text).toContain('Account 9999 not found');
    expect(reply?.text).toContain('ACCOUNT#DESCRIPTION');
    expect(await repos.issues.list()).toHaveLength(0);
  });

  it('answers other text with the format, in Swahili when chosen, once per id', async () => {
    await repos.preferences.setLanguage('+254733000333', 'sw');
    expect(await handle({ id: 'x2', from: '+254733000333', text: 'habari' })).toEqual({
      outcome: 'help',
      reason: 'format',
      replied: true,
    });
    expect(await handle({ id: 'x2', from: '+254733000333', text: 'habari' })).toEqual({ outcome: 'duplicate' });
    const rows = outboxRows(repos);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toContain('AKAUNTI#MAELEZO');
  });

  it('answers a few unreadable texts an hour per phone, not every one', async () => {
    const from = '+254799000123';
    const outcomes = [];
    for (let i = 0; i < HELP_REPLIES_PER_HOUR + 2; i++)
      outcomes.push(await handle({ id: `spam${i}`, from, text: 'hi' }));
    expect(outcomes.map((o) => (o as { replied?: boolean }).replied)).toEqual([true, true, true, false, false]);
    expect(outboxRows(repos).filter((r) => r.to[0] === from)).toHaveLength(HELP_REPLIES_PER_HOUR);
    expect(await repos.smsLog.list({ phone: from, direction: 'in' })).toHaveLength(HELP_REPLIES_PER_HOUR + 2);
    // Another phone is not held back by this one.
    expect(await handle({ id: 'other', from: '+254799000124', text: 'hi' })).toMatchObject({ replied: true });
    clock.advance(3_600_001);
    expect(await handle({ id: 'later', from, text: 'hi' })).toMatchObject({ replied: true });
  });

  it('logs the incoming text with its ids and time', async () => {
    await handle({ id: 'in-1', from: '+254722000222', to: '22384', text: '1001#leak' });
    await handle({ id: 'in-2', from: '+254722000223', text: 'hello' });
    const logged = await repos.smsLog.list({ direction: 'in' });
    expect(logged.map((e) => [e.providerMessageId, e.from, e.to, e.text, e.status, e.createdAt]).sort()).toEqual([
      ['in-1', '+254722000222', '22384', '1001#leak', 'received', '2026-11-20T10:00:00.000Z'],
      ['in-2', '+254722000223', '', 'hello', 'received', '2026-11-20T10:00:00.000Z'],
    ]);
  });

  it('asks for a description with the written-out help text under its own key', async () => {
    expect(await handle({ id: 'in-3', from: '+254722000222', text: '1001#' })).toEqual({
      outcome: 'help',
      reason: 'no_description',
      replied: true,
    });
    expect(outboxRows(repos)).toEqual([
      {
        key: 'sms:in-3:help',
        to: ['+254722000222'],
        text: 'rolax Water: Please describe the problem. To report a problem send ACCOUNT#DESCRIPTION, e.g. 1001#No water since morning. Help: 0800 720 000',
      },
    ]);
  });

  it('a folded repeat by SMS is reported as not created', async () => {
    await handle({ id: 'in-4', from: '+254722000222', text: '1001#leak' });
    expect(await handle({ id: 'in-5', from: '+254722000223', text: '1001#leaking again' })).toEqual({
      outcome: 'issue_reported',
      issueReference: 'R-000001',
      created: false,
    });
  });

  it('over the report limit: received and recorded, not reported, not answered', async () => {
    for (let i = 0; i < 5; i++) await handle({ id: `r${i}`, from: '+254722000222', text: '1001#leak' });
    const before = outboxRows(repos).length;
    expect(await handle({ id: 'r5', from: '+254722000222', text: '1001#leak' })).toEqual({ outcome: 'limited' });
    expect(outboxRows(repos)).toHaveLength(before);
    expect(await repos.smsLog.list({ phone: '+254722000222', direction: 'in' })).toHaveLength(6);
  });
});
