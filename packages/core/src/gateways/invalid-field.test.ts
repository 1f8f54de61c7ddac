// The 400 a form callback gets names the field and says whether it was missing, empty or invalid.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { invalidField } from './invalid-field.js';

const schema = z.object({ phone: z.string().min(3, 'too short'), nested: z.object({ code: z.string() }).optional() });

function errorFor(input: Record<string, unknown>) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a refusal');
  return invalidField('SMS callback', parsed.error, input);
}

describe('invalidField', () => {
  it('says a field is missing when it is absent or null', () => {
    for (const input of [{}, { phone: null }]) {
      const e = errorFor(input);
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toBe('SMS callback: "phone" is missing');
      expect(e.details).toEqual({ field: 'phone', reason: 'missing' });
    }
  });

  it('says a field is empty when it is the empty string', () => {
    const e = errorFor({ phone: '' });
    expect(e.message).toBe('SMS callback: "phone" is empty');
    expect(e.details).toEqual({ field: 'phone', reason: 'empty' });
  });

  it('says what is wrong with a value that is there', () => {
    const e = errorFor({ phone: '12' });
    expect(e.message).toBe('SMS callback: "phone" is invalid (too short)');
    expect(e.details).toEqual({ field: 'phone', reason: 'invalid' });
  });

  it('names a nested field by its path and calls it invalid', () => {
    const e = errorFor({ phone: '123', nested: { code: 5 } });
    expect(e.message).toMatch(/^SMS callback: "nested\.code" is invalid \(.+\)$/);
    expect(e.details).toEqual({ field: 'nested.code', reason: 'invalid' });
  });

  it('calls a nested field invalid even when its parent was not sent', () => {
    const withDefault = z.object({ nested: z.preprocess((v) => v ?? {}, z.object({ code: z.string('no code') })) });
    const parsed = withDefault.safeParse({});
    if (parsed.success) throw new Error('expected a refusal');
    const e = invalidField('SMS callback', parsed.error, {});
    expect(e.message).toBe('SMS callback: "nested.code" is invalid (no code)');
    expect(e.details).toEqual({ field: 'nested.code', reason: 'invalid' });
  });

  it('calls a refusal of the whole body "body"', () => {
    const parsed = z.object({ a: z.string() }).safeParse('not an object');
    if (parsed.success) throw new Error('expected a refusal');
    const e = invalidField('USSD callback', parsed.error, {});
    expect(e.message).toBe('USSD callback: "body" is invalid (Invalid input: expected object, received string)');
    expect(e.details).toEqual({ field: 'body', reason: 'invalid' });
  });

  it('falls back to a plain reason when there is no issue to quote', () => {
    const e = invalidField('USSD callback', new z.ZodError([]), {});
    expect(e.message).toBe('USSD callback: "body" is invalid (unexpected value)');
  });
});
