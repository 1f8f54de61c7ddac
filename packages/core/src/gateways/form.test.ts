import { describe, expect, it } from 'vitest';
import { formFields } from './form.js';

describe('formFields', () => {
  it('decodes a form from text or bytes, percent-escapes and plus signs included', () => {
    expect(formFields('a=1&text=1*2+3&name=Kofi%20%C3%A9')).toStrictEqual({ a: '1', text: '1*2 3', name: 'Kofi é' });
    expect(formFields(new TextEncoder().encode('name=%C3%A9w%C3%A9&b='))).toStrictEqual({ name: 'éwé', b: '' });
    expect(formFields(Buffer.from('x=y'))).toStrictEqual({ x: 'y' });
    expect(formFields('')).toStrictEqual({});
  });

  it('keeps the first of repeated values and leaves out absent ones of a parsed record', () => {
    expect(formFields({ a: ['1', '2'], b: 'x', c: undefined, d: null, e: [], f: [null, 'y'], g: '' })).toStrictEqual({
      a: '1',
      b: 'x',
      g: '',
    });
  });

  it('keeps values that are not text as they are, for the schema to refuse', () => {
    const nested = { toString: 'x' };
    const out = formFields({ n: 0, t: false, o: nested, l: [[1]] });
    expect(out).toStrictEqual({ n: 0, t: false, o: { toString: 'x' }, l: [1] });
    expect(out.o).toBe(nested);
  });

  it('gives no fields for a body that is neither a form nor a record', () => {
    expect(formFields(undefined)).toStrictEqual({});
    expect(formFields(null)).toStrictEqual({});
    expect(formFields(42)).toStrictEqual({});
    expect(formFields(true)).toStrictEqual({});
    expect(formFields(Object.assign(() => 'a=1', { a: '1' }))).toStrictEqual({});
  });
});
