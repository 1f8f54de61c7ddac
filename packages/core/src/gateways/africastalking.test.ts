import { describe, expect, it } from 'vitest';
import { isUssdError } from '../errors.js';
import { africasTalkingUssd } from './africastalking.js';
import { reply } from './turn.js';

const hop = { sessionId: 'ATUid_1', phoneNumber: '+254711000111', serviceCode: '*384*123#', text: '1' };
/** A hop two answers into the session. */
const deeper = { ...hop, text: '1*2' };

function refusal(body: unknown): string {
  try {
    africasTalkingUssd.parse(body);
  } catch (err) {
    if (isUssdError(err, 'INVALID_REQUEST') && err.status === 400) return err.message;
    throw err;
  }
  throw new Error('expected an INVALID_REQUEST with a 400');
}

describe('africasTalkingUssd.parse', () => {
  it('reads a form and a parsed record alike', () => {
    expect(africasTalkingUssd.parse(new URLSearchParams(hop).toString())).toMatchObject({
      sessionId: 'ATUid_1',
      path: '1',
    });
    expect(africasTalkingUssd.parse({ ...hop })).toMatchObject({ phoneNumber: '+254711000111' });
  });

  it('reads every field of a hop, trimming the ids', () => {
    expect(
      africasTalkingUssd.parse({
        ...deeper,
        sessionId: ' ATUid_1 ',
        phoneNumber: ' +254711000111',
        serviceCode: '*384*123# ',
        networkCode: '63902',
      }),
    ).toStrictEqual({
      kind: 'path',
      provider: 'africastalking',
      sessionId: 'ATUid_1',
      phoneNumber: '+254711000111',
      serviceCode: '*384*123#',
      networkCode: '63902',
      path: '1*2',
    });
  });

  it('reads an absent text as the empty path and a blank network code as none', () => {
    const { text: _, ...first } = deeper;
    expect(africasTalkingUssd.parse({ ...first, networkCode: '' })).toMatchObject({ path: '', networkCode: undefined });
    expect(africasTalkingUssd.parse(first).networkCode).toBeUndefined();
  });

  // Africa's Talking posts text fields; a JSON body with other types is not theirs and must not be coerced.
  it.each([
    ['sessionId', 123],
    ['serviceCode', { code: '*384#' }],
    ['phoneNumber', [254711000111, '+254711000111']],
    ['text', { toString: 'x' }],
  ])('refuses a non-text %s with a 400 naming it', (field, value) => {
    expect(refusal({ ...hop, [field]: value })).toContain(`${field} is not text`);
  });

  it('names a missing field as missing', () => {
    const { sessionId: _, ...rest } = hop;
    expect(refusal(rest)).toContain('sessionId is missing');
  });

  it('names every problem of a request in one message', () => {
    expect(refusal({})).toBe(
      'invalid USSD request: sessionId is missing; phoneNumber is missing; serviceCode is missing',
    );
    expect(refusal({ ...deeper, sessionId: ' ', phoneNumber: '' })).toBe(
      'invalid USSD request: sessionId is empty; phoneNumber is empty',
    );
    expect(refusal({ ...deeper, serviceCode: 7, networkCode: 1, text: 2 })).toBe(
      'invalid USSD request: serviceCode is not text; networkCode is not text; text is not text',
    );
  });

  it('refuses fields longer than their limits, and accepts them at the limit', () => {
    const at = {
      sessionId: 's'.repeat(128),
      phoneNumber: '1'.repeat(32),
      serviceCode: '*'.repeat(64),
      networkCode: '6'.repeat(16),
      text: '1'.repeat(1000),
    };
    expect(africasTalkingUssd.parse(at)).toMatchObject({ sessionId: at.sessionId, path: at.text });
    expect(refusal({ ...at, sessionId: `${at.sessionId}s` })).toBe(
      'invalid USSD request: sessionId is longer than 128 characters',
    );
    expect(refusal({ ...at, phoneNumber: `${at.phoneNumber}1` })).toBe(
      'invalid USSD request: phoneNumber is longer than 32 characters',
    );
    expect(refusal({ ...at, serviceCode: `${at.serviceCode}#` })).toBe(
      'invalid USSD request: serviceCode is longer than 64 characters',
    );
    expect(refusal({ ...at, networkCode: `${at.networkCode}6` })).toBe('invalid USSD request: networkCode is too long');
    expect(refusal({ ...at, text: `${at.text}1` })).toBe('invalid USSD request: text is longer than 1000 characters');
  });
});

describe('africasTalkingUssd.format', () => {
  it('answers with the reply body as it is, as plain text', () => {
    const turn = africasTalkingUssd.parse(deeper);
    expect(africasTalkingUssd.format(reply('CON', 'Menu\n1. Pay'), turn)).toBe('CON Menu\n1. Pay');
    expect(africasTalkingUssd.format(reply('END', 'Bye'), turn)).toBe('END Bye');
    expect(africasTalkingUssd.name).toBe('africastalking');
    expect(africasTalkingUssd.contentType).toBe('text/plain; charset=utf-8');
  });
});
