import { describe, expect, it } from 'vitest';
import { isUssdError, type UssdError } from '../errors.js';
import { memorySessionStore } from '../stores/memory.js';
import {
  createIdempotencyGuard,
  parseDeliveryReport,
  parseIncomingSms,
  parseUssdSessionEnd,
} from './africastalking-callbacks.js';

function thrown(fn: () => unknown): UssdError {
  try {
    fn();
  } catch (err) {
    if (isUssdError(err)) return err;
    throw err;
  }
  throw new Error('expected a UssdError');
}

const without = (fields: Record<string, string>, field: string) => {
  const copy = { ...fields };
  delete copy[field];
  return copy;
};

describe('parseIncomingSms', () => {
  const sms = {
    date: '2025-09-29 12:00:00',
    from: '+254711000111',
    to: '40404',
    text: 'LEAK Kibera phase 2',
    id: 'b3c8e8c4-1d5f-4f5a-9c0b-000000000001',
    linkId: 'SampleLinkId123',
    networkCode: '63902',
  };

  it('parses a form string, URLSearchParams and a parsed record alike', () => {
    const form = new URLSearchParams(sms);
    expect(parseIncomingSms(form.toString())).toEqual(sms);
    expect(parseIncomingSms(form)).toEqual(sms);
    expect(parseIncomingSms(Buffer.from(form.toString()))).toEqual(sms);
    expect(parseIncomingSms({ ...sms })).toEqual(sms);
  });

  it('treats linkId and networkCode as optional, and blank as absent', () => {
    const parsed = parseIncomingSms({ ...without(without(sms, 'linkId'), 'networkCode') });
    expect(parsed.linkId).toBeUndefined();
    expect(parseIncomingSms({ ...sms, linkId: '' }).linkId).toBeUndefined();
  });

  it('accepts an empty text, which a phone can send', () => {
    expect(parseIncomingSms({ ...sms, text: '' }).text).toBe('');
  });

  it('takes the first value of a repeated field', () => {
    expect(parseIncomingSms({ ...sms, text: ['first', 'second'] }).text).toBe('first');
  });

  it.each(['date', 'from', 'to', 'text', 'id'])('rejects a callback without %s with a 400 naming it', (field) => {
    const err = thrown(() => parseIncomingSms(without(sms, field)));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.status).toBe(400);
    expect(err.message).toContain(`"${field}" is missing`);
    expect(err.details).toMatchObject({ field, reason: 'missing' });
  });

  it('names an empty required field as empty', () => {
    expect(thrown(() => parseIncomingSms({ ...sms, id: '' })).message).toContain('"id" is empty');
  });

  it.each([null, undefined, 42, []])('rejects %j with INVALID_REQUEST', (body) => {
    expect(thrown(() => parseIncomingSms(body)).code).toBe('INVALID_REQUEST');
  });
});

describe('parseDeliveryReport', () => {
  const report = {
    id: 'ATXid_bcc7830d645ab7207ecc747d02f28411',
    status: 'Success',
    phoneNumber: '+254711000111',
    networkCode: '63902',
    retryCount: '0',
  };

  it('parses a report and converts retryCount to a number', () => {
    expect(parseDeliveryReport(new URLSearchParams(report).toString())).toEqual({
      id: report.id,
      status: 'Success',
      final: true,
      phoneNumber: '+254711000111',
      networkCode: '63902',
      failureReason: undefined,
      retryCount: 0,
    });
  });

  it.each([
    ['Sent', false],
    ['Submitted', false],
    ['Buffered', false],
    ['Rejected', true],
    ['Success', true],
    ['Failed', true],
  ])('marks %s final = %s', (status, final) => {
    expect(parseDeliveryReport({ ...report, status }).final).toBe(final);
  });

  it('keeps the failure reason of a failed report', () => {
    const parsed = parseDeliveryReport({
      ...report,
      status: 'Failed',
      failureReason: 'UserInBlackList',
      retryCount: '3',
    });
    expect(parsed).toMatchObject({ status: 'Failed', failureReason: 'UserInBlackList', retryCount: 3 });
  });

  it.each(['id', 'status', 'phoneNumber'])('rejects a report without %s with a 400 naming it', (field) => {
    const err = thrown(() => parseDeliveryReport(without(report, field)));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain(`"${field}" is missing`);
  });

  it('rejects an unknown status and a non-numeric retryCount, naming the field', () => {
    expect(thrown(() => parseDeliveryReport({ ...report, status: 'Delivered' })).message).toContain(
      '"status" is invalid',
    );
    expect(thrown(() => parseDeliveryReport({ ...report, retryCount: 'two' })).message).toContain(
      '"retryCount" is invalid',
    );
  });
});

describe('parseUssdSessionEnd', () => {
  const end = {
    date: '2025-09-29 12:00:00',
    sessionId: 'ATUid_5d3b4c2bc589f4811820a7184eed4df5',
    serviceCode: '*384*1234#',
    networkCode: '63902',
    phoneNumber: '+254711000111',
    status: 'Success',
    cost: 'KES 0.10',
    durationInMillis: '18344',
    hopsCount: '4',
    input: '2*1*1',
    lastAppResponse: 'END Thank you',
  };

  it('parses every field, turning cost, duration and hops into numbers', () => {
    expect(parseUssdSessionEnd(new URLSearchParams(end).toString())).toEqual({
      date: end.date,
      sessionId: end.sessionId,
      serviceCode: '*384*1234#',
      networkCode: '63902',
      phoneNumber: '+254711000111',
      status: 'Success',
      cost: { amount: 0.1, currency: 'KES' },
      durationInMillis: 18344,
      hopsCount: 4,
      input: '2*1*1',
      lastAppResponse: 'END Thank you',
      errorMessage: undefined,
      hopsMetadata: undefined,
    });
  });

  it('accepts a bare number as cost', () => {
    expect(parseUssdSessionEnd({ ...end, cost: '0.0500' }).cost).toEqual({ amount: 0.05 });
    expect(parseUssdSessionEnd({ ...end, cost: 2 }).cost).toEqual({ amount: 2 });
  });

  it('keeps the error message of a failed session', () => {
    const parsed = parseUssdSessionEnd({ ...end, status: 'Failed', errorMessage: 'Application timed out' });
    expect(parsed).toMatchObject({ status: 'Failed', errorMessage: 'Application timed out' });
  });

  it('accepts an empty input (the user left on the first screen)', () => {
    expect(parseUssdSessionEnd({ ...end, status: 'Incomplete', input: '' }).input).toBe('');
  });

  it.each(['date', 'sessionId', 'serviceCode', 'phoneNumber', 'status'])(
    'rejects a notification without %s with a 400 naming it',
    (field) => {
      const err = thrown(() => parseUssdSessionEnd(without(end, field)));
      expect(err.code).toBe('INVALID_REQUEST');
      expect(err.message).toContain(`"${field}" is missing`);
      expect(err.details).toMatchObject({ field });
    },
  );

  it.each([
    ['status', 'Done'],
    ['cost', 'ten shillings'],
    ['durationInMillis', '1.5s'],
    ['hopsCount', '-1'],
    ['sessionId', 'x'.repeat(129)],
  ])('rejects %s = %j naming the field', (field, value) => {
    const err = thrown(() => parseUssdSessionEnd({ ...end, [field]: value }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain(`"${field}" is invalid`);
  });
});

describe('createIdempotencyGuard', () => {
  it('lets each id through once, per prefix, and again after release', async () => {
    const store = memorySessionStore({ sweepIntervalMs: 0 });
    const sms = createIdempotencyGuard({ store, prefix: 'sms:' });
    const reports = createIdempotencyGuard({ store, prefix: 'dlr:' });
    expect(await sms.firstTime('m1')).toBe(true);
    expect(await sms.firstTime('m1')).toBe(false);
    expect(await sms.firstTime('m2')).toBe(true);
    expect(await reports.firstTime('m1')).toBe(true);
    await sms.release('m1');
    expect(await sms.firstTime('m1')).toBe(true);
    await store.dispose?.();
  });

  it('answers true once when the same id arrives concurrently', async () => {
    const guard = createIdempotencyGuard({ store: memorySessionStore({ sweepIntervalMs: 0 }) });
    const answers = await Promise.all(Array.from({ length: 5 }, () => guard.firstTime('same')));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('forgets an id after the TTL', async () => {
    let now = 1_000;
    const guard = createIdempotencyGuard({
      store: memorySessionStore({ now: () => now, sweepIntervalMs: 0 }),
      ttlMs: 600_000,
    });
    expect(await guard.firstTime('m1')).toBe(true);
    now += 599_999;
    expect(await guard.firstTime('m1')).toBe(false);
    now += 1;
    expect(await guard.firstTime('m1')).toBe(true);
  });

  it('refuses an empty id, and release without deleteIfEquals', async () => {
    const guard = createIdempotencyGuard({ store: { setIfAbsent: async () => true } });
    await expect(guard.firstTime('')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(guard.release('x')).rejects.toMatchObject({ code: 'CONFIG' });
  });
});

describe('crafted JSON bodies', () => {
  const parsers = { parseIncomingSms, parseDeliveryReport, parseUssdSessionEnd };
  it.each(Object.keys(parsers))('%s answers a 400, never a TypeError, for values that are not text', (name) => {
    const parse = parsers[name as keyof typeof parsers];
    for (const body of [{ a: { toString: 'x' } }, { id: { toString: 'x' } }, { id: { valueOf: 1 } }, { id: [{}] }]) {
      const err = thrown(() => parse(body));
      expect(err.status).toBe(400);
    }
    expect(thrown(() => parse({ id: { toString: 'x' }, sessionId: { toString: 'x' } })).message).toMatch(
      /"(id|sessionId|date)"/,
    );
  });
});

/** An end-of-session notification with the required fields only. */
const minimalEnd = {
  date: '2025-09-29 12:00:00',
  sessionId: 'ATUid_1',
  serviceCode: '*384*1234#',
  phoneNumber: '+254711000111',
  status: 'Incomplete',
};

describe('USSD end-of-session cost', () => {
  const cost = (value: unknown) => parseUssdSessionEnd({ ...minimalEnd, cost: value }).cost;

  it('reads a currency in any case, with any spacing, as upper case', () => {
    expect(cost('kes 0.10')).toStrictEqual({ amount: 0.1, currency: 'KES' });
    expect(cost('  Ghs   12  ')).toStrictEqual({ amount: 12, currency: 'GHS' });
    expect(cost('USD\t1.25')).toStrictEqual({ amount: 1.25, currency: 'USD' });
  });

  it('reads a blank cost as none', () => {
    expect(cost('')).toBeUndefined();
    expect(parseUssdSessionEnd(minimalEnd).cost).toBeUndefined();
  });

  it.each(['KES0.10', 'KES 0.10 extra', 'x KES 0.10', 'KESH 1', 'KE 1', '1.', '.5', '1,5', 'KES', '-1'])(
    'refuses %j, saying what it expects',
    (value) => {
      const err = thrown(() => cost(value));
      expect(err.message).toBe('USSD end-of-session notification: "cost" is invalid (expected "KES 0.10" or a number)');
      expect(err.details).toStrictEqual({ field: 'cost', reason: 'invalid' });
    },
  );
});

describe('USSD end-of-session counters', () => {
  it('reads numbers sent as JSON numbers or text, and blank as none', () => {
    expect(parseUssdSessionEnd({ ...minimalEnd, durationInMillis: 1200, hopsCount: '0' })).toMatchObject({
      durationInMillis: 1200,
      hopsCount: 0,
    });
    const blank = parseUssdSessionEnd({ ...minimalEnd, durationInMillis: '', hopsCount: '' });
    expect(blank.durationInMillis).toBeUndefined();
    expect(blank.hopsCount).toBeUndefined();
  });

  it.each(['12a', 'a12', '1 2', '1.5'])('refuses hopsCount %j as not a whole number', (value) => {
    expect(thrown(() => parseUssdSessionEnd({ ...minimalEnd, hopsCount: value })).message).toBe(
      'USSD end-of-session notification: "hopsCount" is invalid (expected a whole number)',
    );
  });

  it('refuses a counter or cost that is neither text nor a number, whatever it would print as', () => {
    const five = { toString: () => '5' };
    expect(thrown(() => parseUssdSessionEnd({ ...minimalEnd, hopsCount: five })).message).toBe(
      'USSD end-of-session notification: "hopsCount" is invalid (Invalid input: expected string, received object)',
    );
    expect(thrown(() => parseUssdSessionEnd({ ...minimalEnd, cost: [['5']] })).message).toBe(
      'USSD end-of-session notification: "cost" is invalid (Invalid input: expected string, received array)',
    );
  });

  it('keeps the optional texts, a blank one as absent', () => {
    expect(
      parseUssdSessionEnd({
        ...minimalEnd,
        networkCode: '',
        errorMessage: '',
        hopsMetadata: 'h1',
        input: '',
        lastAppResponse: 'CON Menu',
      }),
    ).toStrictEqual({
      ...minimalEnd,
      networkCode: undefined,
      errorMessage: undefined,
      hopsMetadata: 'h1',
      input: '',
      lastAppResponse: 'CON Menu',
    });
  });

  it('accepts a session id of 128 characters and trims the required fields', () => {
    expect(parseUssdSessionEnd({ ...minimalEnd, sessionId: 's'.repeat(128) }).sessionId).toBe('s'.repeat(128));
    expect(parseUssdSessionEnd({ ...minimalEnd, serviceCode: ' *384# ' }).serviceCode).toBe('*384#');
  });
});

describe('delivery report and incoming SMS fields', () => {
  const report = { id: 'ATXid_1', status: 'Sent', phoneNumber: '+254711000111' };

  it('reads a retry count sent as a number and a blank one as none', () => {
    expect(parseDeliveryReport({ ...report, retryCount: 2 }).retryCount).toBe(2);
    expect(parseDeliveryReport({ ...report, retryCount: '' }).retryCount).toBeUndefined();
    expect(parseDeliveryReport({ ...report, failureReason: '', networkCode: '' })).toStrictEqual({
      ...report,
      final: false,
      networkCode: undefined,
      failureReason: undefined,
    });
  });

  it('trims required fields and refuses blank ones as empty', () => {
    expect(parseDeliveryReport({ ...report, id: ' ATXid_1 ' }).id).toBe('ATXid_1');
    const err = thrown(() => parseIncomingSms({ date: 'd', from: ' ', to: '40404', text: '', id: 'm1' }));
    expect(err.message).toBe('incoming SMS: "from" is invalid (Too small: expected string to have >=1 characters)');
  });

  it('names the callback in its refusal', () => {
    expect(thrown(() => parseDeliveryReport({})).message).toBe('SMS delivery report: "id" is missing');
    expect(thrown(() => parseIncomingSms({})).message).toBe('incoming SMS: "date" is missing');
    expect(thrown(() => parseUssdSessionEnd({})).message).toBe('USSD end-of-session notification: "date" is missing');
  });
});

describe('createIdempotencyGuard defaults and store use', () => {
  it('remembers an id for a day unless told otherwise', async () => {
    let now = 0;
    const guard = createIdempotencyGuard({ store: memorySessionStore({ now: () => now, sweepIntervalMs: 0 }) });
    expect(await guard.firstTime('m1')).toBe(true);
    now = 86_399_999;
    expect(await guard.firstTime('m1')).toBe(false);
    now = 86_400_000;
    expect(await guard.firstTime('m1')).toBe(true);
  });

  it('stores a handled mark under the callback prefix and releases only that mark', async () => {
    const calls: string[] = [];
    const guard = createIdempotencyGuard({
      store: {
        setIfAbsent: async (key, value, ttlMs) => {
          calls.push(`set ${key} ${value} ${ttlMs}`);
          return true;
        },
        deleteIfEquals: async (key, value) => {
          calls.push(`delete ${key} ${value}`);
          return true;
        },
      },
    });
    await guard.firstTime('m1');
    await guard.release('m1');
    expect(calls).toStrictEqual(['set callback:m1 handled 86400000', 'delete callback:m1 handled']);
  });

  it('explains why it refuses an empty id or a release it cannot do', async () => {
    const guard = createIdempotencyGuard({ store: { setIfAbsent: async () => true } });
    const empty = await guard.firstTime('').catch((e: UssdError) => e);
    expect(empty).toMatchObject({ code: 'INVALID_REQUEST', message: 'callback id is empty', details: { field: 'id' } });
    const release = await guard.release('m1').catch((e: UssdError) => e);
    expect(release).toMatchObject({ code: 'CONFIG', message: 'release needs a store with deleteIfEquals' });
    const withDelete = createIdempotencyGuard({
      store: { setIfAbsent: async () => true, deleteIfEquals: async () => true },
    });
    await expect(withDelete.release('')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
