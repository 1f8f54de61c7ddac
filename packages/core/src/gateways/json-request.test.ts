// The JSON field readers the Ghana gateways share, checked against messages and values written out here, so a
// changed message or coercion shows up as the operator would see it in a 400.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isUssdError } from '../errors.js';
import { counterField, flagField, idField, jsonBody, parseRequest, requestObject, textField } from './json-request.js';

// Built per use rather than once at import, so each check runs the readers' code as it is at that moment.
const schema = () =>
  requestObject({
    id: idField('sessionId', 8),
    text: textField('message', 5),
    first: flagField('initial'),
    hop: counterField('sequence'),
  });

/** The readers with the limits they take when given none. */
const defaultLimits = () =>
  requestObject({ id: idField('SessionId'), text: textField('Message'), flag: flagField('New') });

function refusal(body: unknown, build: () => z.ZodType = schema): string {
  try {
    parseRequest(build(), body);
  } catch (error) {
    if (isUssdError(error, 'INVALID_REQUEST')) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('jsonBody', () => {
  it('reads text, bytes and already-parsed objects alike', () => {
    expect(jsonBody('{"a":1}')).toEqual({ a: 1 });
    expect(jsonBody(new TextEncoder().encode('{"b":"é"}'))).toEqual({ b: 'é' });
    expect(jsonBody(Buffer.from('[1,2]'))).toEqual([1, 2]);
    const parsed = { c: true };
    expect(jsonBody(parsed)).toBe(parsed);
  });

  it('refuses text that is not JSON with INVALID_REQUEST', () => {
    for (const bad of ['', 'sessionId=1', new TextEncoder().encode('{oops')]) {
      expect(() => jsonBody(bad)).toThrow('invalid USSD request: body is not JSON');
    }
  });

  it('parses a string as it is, without a round trip through bytes', () => {
    // An unpaired surrogate cannot be encoded as UTF-8; decoded bytes would hold U+FFFD instead.
    expect(jsonBody('["\uD800"]')).toStrictEqual(['\uD800']);
  });
});

describe('parseRequest and the field readers', () => {
  it('coerces what gateways send into what the engine wants', () => {
    expect(parseRequest(schema(), { id: 42, text: ' 1*2', first: 'TRUE', hop: ' 7 ' })).toEqual({
      id: '42',
      text: ' 1*2',
      first: true,
      hop: 7,
    });
    expect(parseRequest(schema(), '{"id":" ab ","first":0,"hop":""}')).toEqual({ id: 'ab', first: false });
    expect(parseRequest(schema(), { id: 'x', text: null, first: 1, hop: null })).toEqual({ id: 'x', first: true });
    expect(parseRequest(schema(), { id: 'x', text: 12, first: 'false', hop: 3 })).toEqual({
      id: 'x',
      text: '12',
      first: false,
      hop: 3,
    });
    expect(parseRequest(schema(), { id: 10n, first: '1' })).toMatchObject({ id: '10', first: true });
    expect(parseRequest(schema(), { id: 'x', first: ' False ', hop: '120' })).toEqual({
      id: 'x',
      first: false,
      hop: 120,
    });
    expect(parseRequest(schema(), { id: 'x', first: 0, hop: 0 })).toEqual({ id: 'x', first: false, hop: 0 });
  });

  it('names every problem, worded for an operator', () => {
    expect(refusal([])).toBe('invalid USSD request: body is not a JSON object');
    expect(refusal('"text"')).toBe('invalid USSD request: body is not a JSON object');
    expect(refusal({ first: true })).toBe('invalid USSD request: sessionId is missing');
    expect(refusal({ id: null, first: true })).toBe('invalid USSD request: sessionId is missing');
    expect(refusal({ id: {}, first: true })).toBe('invalid USSD request: sessionId is not text');
    expect(refusal({ id: '   ', first: true })).toBe('invalid USSD request: sessionId is empty');
    expect(refusal({ id: '123456789', first: true })).toBe(
      'invalid USSD request: sessionId is longer than 8 characters',
    );
    expect(refusal({ id: 'x', text: ['1'], first: true })).toBe('invalid USSD request: message is not text');
    expect(refusal({ id: 'x', text: '123456', first: true })).toBe(
      'invalid USSD request: message is longer than 5 characters',
    );
    expect(refusal({ id: 'x' })).toBe('invalid USSD request: initial is missing');
    expect(refusal({ id: 'x', first: 'yes' })).toBe('invalid USSD request: initial is not true or false');
    expect(refusal({ id: 'x', first: 2 })).toBe('invalid USSD request: initial is not true or false');
    for (const hop of ['1.5', 1.5, -1, ' -1', '2x', 'x2', '1e3', '0x10', true, [3]]) {
      expect(refusal({ id: 'x', first: true, hop })).toBe('invalid USSD request: sequence is not a whole number');
    }
    expect(refusal({ id: '', first: 'maybe', hop: 'x' })).toBe(
      'invalid USSD request: sessionId is empty; initial is not true or false; sequence is not a whole number',
    );
  });

  it('keeps a text field exactly as typed, spaces and stars included', () => {
    expect(parseRequest(z.object({ t: textField('t') }), { t: ' *1 ' })).toEqual({ t: ' *1 ' });
    expect(parseRequest(z.object({ t: textField('t') }), {})).toEqual({});
  });
});

describe('field readers without explicit limits', () => {
  it('take ids up to 128 characters and texts up to 1000', () => {
    const body = { id: 'i'.repeat(128), text: 't'.repeat(1000), flag: true };
    expect(parseRequest(defaultLimits(), body)).toStrictEqual(body);
    expect(refusal({ ...body, id: 'i'.repeat(129) }, defaultLimits)).toBe(
      'invalid USSD request: SessionId is longer than 128 characters',
    );
    expect(refusal({ ...body, text: 't'.repeat(1001) }, defaultLimits)).toBe(
      'invalid USSD request: Message is longer than 1000 characters',
    );
  });

  it('refuse a flag that is neither text nor a number, even one that would read as true', () => {
    for (const flag of [['true'], [1], 1n, { toString: () => 'true' }]) {
      expect(refusal({ id: 'x', flag }, defaultLimits)).toBe('invalid USSD request: New is not true or false');
    }
  });

  it('refuse a flag named like a built-in object property', () => {
    for (const flag of ['constructor', 'toString', '__proto__']) {
      expect(refusal({ id: 'x', flag }, defaultLimits)).toBe('invalid USSD request: New is not true or false');
    }
  });
});
