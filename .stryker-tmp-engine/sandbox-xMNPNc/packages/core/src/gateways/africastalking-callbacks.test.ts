// @ts-nocheck
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
