import { describe, expect, it } from 'vitest';
import { isUssdError } from '../errors.js';
import { africasTalkingUssd } from './africastalking.js';
import { reply } from './turn.js';

const hop = { sessionId: 'ATUid_1', phoneNumber: '+254711000111', serviceCode: '*384*123#', text: '1*2' };

function refusal(body: unknown): string {
  try {
    africasTalkingUssd.parse(body);
  } catch (err) {
    if (isUssdError(err, 'INVALID_REQUEST')) return err.message;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe("Africa's Talking USSD codec", () => {
  it('reads every field of a hop, trimming the ids', () => {
    expect(
      africasTalkingUssd.parse({
        ...hop,
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
    const { text: _, ...first } = hop;
    expect(africasTalkingUssd.parse({ ...first, networkCode: '' })).toMatchObject({ path: '', networkCode: undefined });
    expect(africasTalkingUssd.parse(first).networkCode).toBeUndefined();
  });

  it('names every problem of a request in one message', () => {
    expect(refusal({})).toBe(
      'invalid USSD request: sessionId is missing; phoneNumber is missing; serviceCode is missing',
    );
    expect(refusal({ ...hop, sessionId: ' ', phoneNumber: '' })).toBe(
      'invalid USSD request: sessionId is empty; phoneNumber is empty',
    );
    expect(refusal({ ...hop, serviceCode: 7, networkCode: 1, text: 2 })).toBe(
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

  it('answers with the reply body as it is, as plain text', () => {
    const turn = africasTalkingUssd.parse(hop);
    expect(africasTalkingUssd.format(reply('CON', 'Menu\n1. Pay'), turn)).toBe('CON Menu\n1. Pay');
    expect(africasTalkingUssd.format(reply('END', 'Bye'), turn)).toBe('END Bye');
    expect(africasTalkingUssd.name).toBe('africastalking');
    expect(africasTalkingUssd.contentType).toBe('text/plain; charset=utf-8');
  });
});
