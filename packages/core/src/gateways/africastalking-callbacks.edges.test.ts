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

const end = {
  date: '2025-09-29 12:00:00',
  sessionId: 'ATUid_1',
  serviceCode: '*384*1234#',
  phoneNumber: '+254711000111',
  status: 'Incomplete',
};

describe('USSD end-of-session cost', () => {
  const cost = (value: unknown) => parseUssdSessionEnd({ ...end, cost: value }).cost;

  it('reads a currency in any case, with any spacing, as upper case', () => {
    expect(cost('kes 0.10')).toStrictEqual({ amount: 0.1, currency: 'KES' });
    expect(cost('  Ghs   12  ')).toStrictEqual({ amount: 12, currency: 'GHS' });
    expect(cost('USD\t1.25')).toStrictEqual({ amount: 1.25, currency: 'USD' });
  });

  it('reads a blank cost as none', () => {
    expect(cost('')).toBeUndefined();
    expect(parseUssdSessionEnd(end).cost).toBeUndefined();
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
    expect(parseUssdSessionEnd({ ...end, durationInMillis: 1200, hopsCount: '0' })).toMatchObject({
      durationInMillis: 1200,
      hopsCount: 0,
    });
    const blank = parseUssdSessionEnd({ ...end, durationInMillis: '', hopsCount: '' });
    expect(blank.durationInMillis).toBeUndefined();
    expect(blank.hopsCount).toBeUndefined();
  });

  it.each(['12a', 'a12', '1 2', '1.5'])('refuses hopsCount %j as not a whole number', (value) => {
    expect(thrown(() => parseUssdSessionEnd({ ...end, hopsCount: value })).message).toBe(
      'USSD end-of-session notification: "hopsCount" is invalid (expected a whole number)',
    );
  });

  it('refuses a counter or cost that is neither text nor a number, whatever it would print as', () => {
    const five = { toString: () => '5' };
    expect(thrown(() => parseUssdSessionEnd({ ...end, hopsCount: five })).message).toBe(
      'USSD end-of-session notification: "hopsCount" is invalid (Invalid input: expected string, received object)',
    );
    expect(thrown(() => parseUssdSessionEnd({ ...end, cost: [['5']] })).message).toBe(
      'USSD end-of-session notification: "cost" is invalid (Invalid input: expected string, received array)',
    );
  });

  it('keeps the optional texts, a blank one as absent', () => {
    expect(
      parseUssdSessionEnd({
        ...end,
        networkCode: '',
        errorMessage: '',
        hopsMetadata: 'h1',
        input: '',
        lastAppResponse: 'CON Menu',
      }),
    ).toStrictEqual({
      ...end,
      networkCode: undefined,
      errorMessage: undefined,
      hopsMetadata: 'h1',
      input: '',
      lastAppResponse: 'CON Menu',
    });
  });

  it('accepts a session id of 128 characters and trims the required fields', () => {
    expect(parseUssdSessionEnd({ ...end, sessionId: 's'.repeat(128) }).sessionId).toBe('s'.repeat(128));
    expect(parseUssdSessionEnd({ ...end, serviceCode: ' *384# ' }).serviceCode).toBe('*384#');
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
