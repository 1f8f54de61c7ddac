// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { isUssdError } from '../errors.js';
import { africasTalkingUssd } from './africastalking.js';

const hop = { sessionId: 'ATUid_1', phoneNumber: '+254711000111', serviceCode: '*384*123#', text: '1' };

function refusal(body: unknown): string {
  try {
    africasTalkingUssd.parse(body);
  } catch (err) {
    if (isUssdError(err) && err.status === 400) return err.message;
    throw err;
  }
  throw new Error('expected a 400');
}

describe('africasTalkingUssd.parse', () => {
  it('reads a form and a parsed record alike', () => {
    expect(africasTalkingUssd.parse(new URLSearchParams(hop).toString())).toMatchObject({
      sessionId: 'ATUid_1',
      path: '1',
    });
    expect(africasTalkingUssd.parse({ ...hop })).toMatchObject({ phoneNumber: '+254711000111' });
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
});
