import { describe, expect, it } from 'vitest';
import { isUssdError } from '../errors.js';
import { flagField, idField, jsonBody, parseRequest, requestObject, textField } from './json-request.js';

const schema = () => requestObject({ id: idField('SessionId'), text: textField('Message'), flag: flagField('New') });

function refusal(body: unknown): string {
  try {
    parseRequest(schema(), body);
  } catch (error) {
    if (isUssdError(error, 'INVALID_REQUEST')) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('jsonBody on text', () => {
  it('parses a string as it is, without a round trip through bytes', () => {
    // An unpaired surrogate cannot be encoded as UTF-8; decoded bytes would hold U+FFFD instead.
    expect(jsonBody('["\uD800"]')).toStrictEqual(['\uD800']);
  });
});

describe('field readers without explicit limits', () => {
  it('take ids up to 128 characters and texts up to 1000', () => {
    const body = { id: 'i'.repeat(128), text: 't'.repeat(1000), flag: true };
    expect(parseRequest(schema(), body)).toStrictEqual(body);
    expect(refusal({ ...body, id: 'i'.repeat(129) })).toBe(
      'invalid USSD request: SessionId is longer than 128 characters',
    );
    expect(refusal({ ...body, text: 't'.repeat(1001) })).toBe(
      'invalid USSD request: Message is longer than 1000 characters',
    );
  });

  it('refuse a flag that is neither text nor a number, even one that would read as true', () => {
    for (const flag of [['true'], [1], 1n, { toString: () => 'true' }]) {
      expect(refusal({ id: 'x', flag })).toBe('invalid USSD request: New is not true or false');
    }
  });

  it('refuse a flag named like a built-in object property', () => {
    for (const flag of ['constructor', 'toString', '__proto__']) {
      expect(refusal({ id: 'x', flag })).toBe('invalid USSD request: New is not true or false');
    }
  });
});
