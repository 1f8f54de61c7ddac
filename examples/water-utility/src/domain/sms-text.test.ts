import { describe, expect, it } from 'vitest';
import { fitSms, gsmLength, SMS_LIMIT, toGsm7 } from './sms-text.js';

describe('fitting a text into one SMS', () => {
  it('keeps a text that fits exactly', () => {
    const flex = 'y'.repeat(SMS_LIMIT - 4);
    expect(fitSms((x) => `abc ${x}`, flex)).toBe(`abc ${flex}`);
  });

  it('cuts the flexible part one character at a time, trimming before the dots', () => {
    expect(fitSms((x) => `abc ${x}`, 'one two three', 11)).toBe('abc one...');
    expect(fitSms((x) => `abc ${x}`, 'one two three', 12)).toBe('abc one t...');
  });

  it('drops the flexible part entirely when only that fits', () => {
    expect(fitSms((x) => `abcdef[${x}]`, 'long text', 10)).toBe('abcdef[]');
  });

  it('cuts a template too long by itself at the limit, counting escaped characters as two', () => {
    expect(fitSms(() => 'abcdefghij', '', 5)).toBe('abcde');
    expect(fitSms(() => 'ab{cd', '', 4)).toBe('ab{');
    expect(fitSms(() => 'ab{cd', '', 3)).toBe('ab');
  });

  it('makes text GSM-7: line breaks to spaces, others dropped, spaces collapsed', () => {
    expect(toGsm7(' a\r\nb  c 😀 ')).toBe('a b c');
    expect(gsmLength('abc')).toBe(3);
  });
});
