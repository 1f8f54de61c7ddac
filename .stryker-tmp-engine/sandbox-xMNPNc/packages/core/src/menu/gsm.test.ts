// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { encodingOf, measureText, normalizeScreenText } from './gsm.js';

describe('GSM-7', () => {
  it('recognises the basic and extension sets', () => {
    expect(measureText('Karibu! Lipa bili: KES 1,200 @ 5%')).toEqual({ encoding: 'GSM-7', units: 33 });
    expect(measureText('{}[]~^|\\€')).toEqual({ encoding: 'GSM-7', units: 18 });
    expect(encodingOf('Ç')).toBe('GSM-7');
  });

  it('treats the common traps as UCS-2', () => {
    for (const trap of ['’', '“', '–', 'ç', 'á', 'í', 'ó', 'ú', 'ê', '\u00a0', '😀']) {
      expect(encodingOf(`abc${trap}`)).toBe('UCS-2');
    }
    expect(measureText('ab😀')).toEqual({ encoding: 'UCS-2', units: 4 });
  });

  it('normalises typographic characters into GSM-7', () => {
    const text = normalizeScreenText('Don’t – “quoted”\u00a0text…');
    expect(text).toBe('Don\'t - "quoted" text...');
    expect(encodingOf(text)).toBe('GSM-7');
  });
});
