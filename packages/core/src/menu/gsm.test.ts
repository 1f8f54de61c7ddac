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

describe('normalizeScreenText', () => {
  it('replaces each typographic character by its GSM-7 twin', () => {
    const pairs: [string, string][] = [
      ['\u2018', "'"],
      ['\u2019', "'"],
      ['\u201a', "'"],
      ['\u201b', "'"],
      ['\u201c', '"'],
      ['\u201d', '"'],
      ['\u201e', '"'],
      ['\u2013', '-'],
      ['\u2014', '-'],
      ['\u2212', '-'],
      ['\u2026', '...'],
      ['\u00b3', '3'],
      ['\u00a0', ' '],
      ['\u2007', ' '],
      ['\u202f', ' '],
      ['\t', ' '],
    ];
    for (const [from, to] of pairs) expect(normalizeScreenText(`a${from}b`), from).toBe(`a${to}b`);
  });

  it('turns Windows line ends into one newline and leaves GSM-7 and other characters alone', () => {
    expect(normalizeScreenText('Home\r\n1. Pay\r\n2. Exit')).toBe('Home\n1. Pay\n2. Exit');
    expect(normalizeScreenText('a\rb\nc')).toBe('a\rb\nc');
    expect(normalizeScreenText('€ ç 💧 «x»')).toBe('€ ç 💧 «x»');
  });
});

describe('encodingOf', () => {
  it('keeps text of only extension characters, or of nothing, in GSM-7', () => {
    expect(encodingOf('€[]{}^~|\\')).toBe('GSM-7');
    expect(encodingOf('\f')).toBe('GSM-7');
    expect(encodingOf('')).toBe('GSM-7');
    expect(encodingOf('Karibu @ 5%')).toBe('GSM-7');
  });

  it('switches to UCS-2 for one foreign character at the start, middle or end', () => {
    expect(encodingOf('ç')).toBe('UCS-2');
    expect(encodingOf('€ç€')).toBe('UCS-2');
    expect(encodingOf('abc₵')).toBe('UCS-2');
  });
});

describe('measureText', () => {
  it('counts basic characters once and extension characters twice', () => {
    expect(measureText('')).toEqual({ encoding: 'GSM-7', units: 0 });
    expect(measureText('€')).toEqual({ encoding: 'GSM-7', units: 2 });
    expect(measureText('a€b')).toEqual({ encoding: 'GSM-7', units: 4 });
    expect(measureText('Lipa KES 100 [ok] ^_^')).toEqual({ encoding: 'GSM-7', units: 25 });
  });

  it('counts UTF-16 code units for the whole text once it is UCS-2, extension characters included', () => {
    expect(measureText('€ç')).toEqual({ encoding: 'UCS-2', units: 2 });
    expect(measureText('{ç}')).toEqual({ encoding: 'UCS-2', units: 3 });
    expect(measureText('💧')).toEqual({ encoding: 'UCS-2', units: 2 });
    expect(measureText('Maji 💧 ₵5')).toEqual({ encoding: 'UCS-2', units: 10 });
  });
});
