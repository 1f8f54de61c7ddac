import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { memoryRepos, testClock } from '../db/test-support.js';
import { accountView, importCustomers } from './customers.js';

let repos: SqliteRepositories;

beforeEach(() => {
  repos = memoryRepos(testClock('2026-11-20T10:00:00.000Z'));
});

const account = (number: string, extra: Record<string, unknown> = {}) => ({
  number,
  name: `House ${number}`,
  zone: 'Zone A',
  location: 'Kahawa West',
  ...extra,
});

const oneCustomer = (accountExtra: Record<string, unknown> = {}, customerExtra: Record<string, unknown> = {}) => ({
  customers: [{ code: 'C-1', name: 'Wanjiku', accounts: [account('1001', accountExtra)], ...customerExtra }],
});

describe('importCustomers', () => {
  it('stores customers, phones, accounts and meters, and counts each', async () => {
    const r = await importCustomers(repos, {
      customers: [
        {
          code: ' C-1 ',
          name: ' Wanjiku Kamau ',
          phones: ['+254711000111', ' +254722000222 '],
          accounts: [
            account('1001', {
              status: 'suspended',
              phones: ['+254733000333', '+254711000111'],
              meters: [
                { id: 'MTR-1', sensorId: 'SN-1' },
                { id: ' MTR-2 ', sensorId: ' SN-2 ' },
              ],
            }),
            account('1002'),
          ],
        },
        { code: 'C-2', name: 'Otieno' },
      ],
    });
    expect(r).toEqual({ ok: true, customers: 2, accounts: 2, phones: 2, meters: 2 });

    const customer = await repos.customers.findByPhone('+254722000222');
    expect(customer).toMatchObject({ code: 'C-1', name: 'Wanjiku Kamau' });
    expect((await repos.customers.phones(customer?.id as number)).sort()).toEqual(['+254711000111', '+254722000222']);

    expect(await repos.accounts.get('1001')).toMatchObject({
      customerId: customer?.id,
      name: 'House 1001',
      zone: 'Zone A',
      location: 'Kahawa West',
      status: 'suspended',
    });
    // The customer's phones act for every account; an account's own phones only for it.
    expect((await repos.accounts.phones('1001')).sort()).toEqual(['+254711000111', '+254722000222', '+254733000333']);
    expect((await repos.accounts.phones('1002')).sort()).toEqual(['+254711000111', '+254722000222']);
    expect((await repos.meters.forAccount('1001')).map((m) => [m.id, m.sensorId, m.account]).sort()).toEqual([
      ['MTR-1', 'SN-1', '1001'],
      ['MTR-2', 'SN-2', '1001'],
    ]);
    expect(await repos.accounts.get('1002')).toMatchObject({ status: 'active' });
    expect(await repos.meters.forAccount('1002')).toEqual([]);
  });

  it('the same file sent again changes nothing but what it corrects', async () => {
    const body = oneCustomer({ meters: [{ id: 'MTR-1', sensorId: 'SN-1' }] }, { phones: ['+254711000111'] });
    await importCustomers(repos, body);
    const again = await importCustomers(repos, {
      customers: [{ ...body.customers[0], name: 'Wanjiku Kamau' }],
    });
    expect(again).toEqual({ ok: true, customers: 1, accounts: 1, phones: 1, meters: 1 });
    expect(await repos.customers.findByPhone('+254711000111')).toMatchObject({ code: 'C-1', name: 'Wanjiku Kamau' });
    expect(await repos.accounts.phones('1001')).toEqual(['+254711000111']);
    expect(await repos.meters.forAccount('1001')).toHaveLength(1);
  });

  it('one bad row and nothing is stored, with the path of the first problem', async () => {
    const r = await importCustomers(repos, {
      customers: [
        { code: 'C-1', name: 'Wanjiku', accounts: [account('1001')] },
        { code: 'C-2', name: 'Otieno', accounts: [account('1002', { phones: ['0711000111'] })] },
      ],
    });
    expect(r).toEqual({
      ok: false,
      message: 'customers.1.accounts.0.phones.0: phone numbers are E.164 with +, e.g. +254711000111',
    });
    expect(await repos.accounts.get('1001')).toBeNull();
  });

  it('a body that is not an object is named as the body', async () => {
    const r = await importCustomers(repos, null);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message.startsWith('body: ')).toBe(true);
  });

  it('an empty list of customers is refused', async () => {
    const r = await importCustomers(repos, { customers: [] });
    expect(!r.ok && r.message.startsWith('customers: ')).toBe(true);
  });

  it.each([
    ['100', true],
    ['1234567890', true],
    ['99', false],
    ['12345678901', false],
    ['10a1', false],
    [' 1001 ', true],
  ])('account number %j accepted: %s', async (number, ok) => {
    const r = await importCustomers(repos, oneCustomer({ number }));
    if (ok) expect(r).toMatchObject({ ok: true, accounts: 1 });
    else expect(r).toEqual({ ok: false, message: 'customers.0.accounts.0.number: account numbers are 3 to 10 digits' });
  });

  it.each([
    ['+25471100', true], // 8 digits
    ['+123456789012345', true], // 15 digits
    ['+2547110', false], // 7 digits
    ['+1234567890123456', false], // 16 digits
    ['+0711000111', false],
    ['254711000111', false],
    ['+2547110001x1', false],
    ['x+254711000111', false],
    ['+254711000111x', false],
  ])('phone %j accepted: %s', async (phone, ok) => {
    const r = await importCustomers(repos, oneCustomer({}, { phones: [phone] }));
    if (ok) expect(r).toMatchObject({ ok: true, phones: 1 });
    else
      expect(r).toEqual({
        ok: false,
        message: 'customers.0.phones.0: phone numbers are E.164 with +, e.g. +254711000111',
      });
  });

  it.each([
    ['code', { code: '  ' }, 'customers.0.code'],
    ['name', { name: ' ' }, 'customers.0.name'],
  ])('a blank customer %s is refused', async (_field, extra, path) => {
    const r = await importCustomers(repos, oneCustomer({}, extra));
    expect(!r.ok && r.message.split(':')[0]).toBe(path);
  });

  it.each([
    ['name', { name: ' ' }],
    ['zone', { zone: ' ' }],
    ['location', { location: ' ' }],
    ['status', { status: 'gone' }],
  ])('a bad account %s is refused', async (field, extra) => {
    const r = await importCustomers(repos, oneCustomer(extra));
    expect(!r.ok && r.message.split(':')[0]).toBe(`customers.0.accounts.0.${field}`);
  });

  it.each([
    ['id', { id: ' ', sensorId: 'SN-1' }],
    ['sensorId', { id: 'MTR-1', sensorId: '' }],
  ])('a blank meter %s is refused', async (field, meter) => {
    const r = await importCustomers(repos, oneCustomer({ meters: [meter] }));
    expect(!r.ok && r.message.split(':')[0]).toBe(`customers.0.accounts.0.meters.0.${field}`);
  });
});

describe('accountView', () => {
  it('is null for an account that does not exist', async () => {
    expect(await accountView(repos, '1001')).toBeNull();
  });

  it('shows who may act for the account, its meters and what its unpaid bills owe', async () => {
    await importCustomers(
      repos,
      oneCustomer(
        { phones: ['+254733000333'], meters: [{ id: 'MTR-1', sensorId: 'SN-1' }] },
        { phones: ['+254711000111'] },
      ),
    );
    const bill = (period: string, amount: number) =>
      repos.bills.create({
        account: '1001',
        period,
        periodStart: `${period}-01`,
        periodEnd: `${period}-28`,
        openingReading: 100,
        closingReading: 112,
        consumption: 12,
        amount,
        creditApplied: 0,
        dueDate: '2026-12-14',
      });
    await bill('2026-09', 100.1);
    await bill('2026-10', 200.2);
    const view = await accountView(repos, '1001');
    expect(view?.account).toMatchObject({ number: '1001', name: 'House 1001' });
    expect(view?.phones.sort()).toEqual(['+254711000111', '+254733000333']);
    expect(view?.meters.map((m) => m.id)).toEqual(['MTR-1']);
    expect(view?.balance).toBe(300.3);
    expect(view?.unpaidBills.map((b) => b.period)).toEqual(['2026-09', '2026-10']);
  });
});
