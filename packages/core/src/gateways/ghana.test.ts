import { describe, expect, it } from 'vitest';
import { isUssdError } from '../errors.js';
import { ghanaE164, ghanaNetworkCode, phoneField } from './ghana.js';
import { parseRequest, requestObject } from './json-request.js';

describe('ghanaE164', () => {
  it('drops spaces, brackets, dots and dashes wherever they are', () => {
    expect(ghanaE164('(024) 400.01-11')).toBe('+233244000111');
    expect(ghanaE164('+233  24 400 0111')).toBe('+233244000111');
    expect(ghanaE164('00 233 24 400 0111')).toBe('+233244000111');
  });

  it('gives a local ten-digit number starting with 0 the Ghana code, and nothing else', () => {
    expect(ghanaE164('0501234567')).toBe('+233501234567');
    // Eleven digits after the 0 is not a Ghana local number; kept as an international one.
    expect(ghanaE164('02440001112')).toBe('+02440001112');
    // `00` is an international prefix only at the start.
    expect(ghanaE164('2330024400011')).toBe('+2330024400011');
  });

  it('accepts 7 to 15 digits and refuses anything else', () => {
    expect(ghanaE164('1234567')).toBe('+1234567');
    expect(ghanaE164('123456789012345')).toBe('+123456789012345');
    expect(ghanaE164('123456')).toBeUndefined();
    expect(ghanaE164('1234567890123456')).toBeUndefined();
    expect(ghanaE164('a0244000111')).toBeUndefined();
    expect(ghanaE164('0244000111a')).toBeUndefined();
    expect(ghanaE164('x233244000111')).toBeUndefined();
    expect(ghanaE164('233244000111x')).toBeUndefined();
    expect(ghanaE164('')).toBeUndefined();
  });
});

describe('phoneField', () => {
  const schema = () => requestObject({ msisdn: phoneField('msisdn') });
  const refusal = (body: unknown) => {
    try {
      parseRequest(schema(), body);
    } catch (error) {
      if (isUssdError(error, 'INVALID_REQUEST')) return error.message;
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('keeps a phone number as sent, numbers turned into text', () => {
    expect(parseRequest(schema(), { msisdn: '024 400 0111' })).toEqual({ msisdn: '024 400 0111' });
    expect(parseRequest(schema(), { msisdn: 233244000111 })).toEqual({ msisdn: '233244000111' });
  });

  it('refuses what is not a phone number, and reports a blank one only as empty', () => {
    expect(refusal({ msisdn: 'hello' })).toBe('invalid USSD request: msisdn is not a phone number');
    expect(refusal({ msisdn: '' })).toBe('invalid USSD request: msisdn is empty');
    expect(refusal({ msisdn: '   ' })).toBe('invalid USSD request: msisdn is empty');
    expect(refusal({})).toBe('invalid USSD request: msisdn is missing');
    expect(refusal({ msisdn: `+${'1'.repeat(32)}` })).toBe(
      'invalid USSD request: msisdn is longer than 32 characters; msisdn is not a phone number',
    );
  });
});

describe('ghanaNetworkCode', () => {
  it('knows every Ghana operator by its names, with or without a Ghana suffix', () => {
    expect(ghanaNetworkCode('MTN')).toBe('62001');
    expect(ghanaNetworkCode('MTN Ghana')).toBe('62001');
    expect(ghanaNetworkCode('mtn-gh')).toBe('62001');
    expect(ghanaNetworkCode('Vodafone GH')).toBe('62002');
    expect(ghanaNetworkCode('Telecel Ghana')).toBe('62002');
    expect(ghanaNetworkCode('Airtel')).toBe('62003');
    expect(ghanaNetworkCode('Tigo')).toBe('62003');
    expect(ghanaNetworkCode('AT')).toBe('62003');
    expect(ghanaNetworkCode('AT Ghana')).toBe('62003');
    expect(ghanaNetworkCode('Air tel-Tigo GH')).toBe('62003');
    expect(ghanaNetworkCode('Glo')).toBe('62007');
    expect(ghanaNetworkCode(' glo ')).toBe('62007');
  });

  it('takes the Ghana suffix only at the end of a name', () => {
    expect(ghanaNetworkCode('GH MTN')).toBeUndefined();
    expect(ghanaNetworkCode('Ghana MTN')).toBeUndefined();
  });

  it('keeps a code sent as five or six digits, trimmed, and ignores other digit runs', () => {
    expect(ghanaNetworkCode(' 62002 ')).toBe('62002');
    expect(ghanaNetworkCode('620011')).toBe('620011');
    expect(ghanaNetworkCode('6200')).toBeUndefined();
    expect(ghanaNetworkCode('6200111')).toBeUndefined();
    expect(ghanaNetworkCode('62001x')).toBeUndefined();
    expect(ghanaNetworkCode('x62001')).toBeUndefined();
  });

  it('gives undefined for names that are built-in object properties, not operators', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'proto']) {
      expect(ghanaNetworkCode(name)).toBeUndefined();
      expect(ghanaNetworkCode(`${name} GH`)).toBeUndefined();
    }
  });
});
