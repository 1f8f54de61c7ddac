import { describe, expect, it } from 'vitest';
import { dialExtras, isDialString, openingInput } from './dial-string.js';

describe('isDialString', () => {
  it('is a star, digits and stars, then a hash, whatever the spaces', () => {
    expect(isDialString('*714#')).toBe(true);
    expect(isDialString(' * 714 * 1 # ')).toBe(true);
    expect(isDialString('*714**2#')).toBe(true);
    expect(isDialString('**#')).toBe(true);
  });

  it('is not anything missing the star, the hash or a digit between them, or with other characters', () => {
    expect(isDialString('714#')).toBe(false);
    expect(isDialString('*714')).toBe(false);
    expect(isDialString('*#')).toBe(false);
    expect(isDialString('1*714#')).toBe(false);
    expect(isDialString('*714#1')).toBe(false);
    expect(isDialString('*7a4#')).toBe(false);
    expect(isDialString('')).toBe(false);
  });
});

describe('dialExtras', () => {
  it('compares codes without their spaces, leading star or closing hash', () => {
    expect(dialExtras('714*1*2', '714')).toBe('1*2');
    expect(dialExtras('*714*1*2#', ' * 714 # ')).toBe('1*2');
    expect(dialExtras('* 7 1 4 * 1 2 #', '*714#')).toBe('12');
  });

  it('removes only the star at the start and the hash at the end', () => {
    expect(dialExtras('*714*1#*2#', '*714#')).toBe('1#*2');
    expect(dialExtras('*714*1*2#', '*714*#')).toBe('');
  });

  it('reads no extras without a base, even from a dial that starts with two stars', () => {
    expect(dialExtras('**5#', undefined)).toBe('');
    expect(dialExtras('**5#', '')).toBe('');
    expect(dialExtras('**5#', '*#')).toBe('');
  });

  it('drops empty segments anywhere in the extras', () => {
    expect(dialExtras('*714*1**2*#', '*714#')).toBe('1*2');
    expect(dialExtras('*714***#', '*714#')).toBe('');
  });
});

describe('openingInput', () => {
  it('reads deep-dial extras from a dial string and nothing from anything else', () => {
    expect(openingInput('*714*3*1#', '*714#')).toBe('3*1');
    expect(openingInput('*714*3*1', '*714#')).toBe('');
    expect(openingInput('3*1', '*714#')).toBe('');
    expect(openingInput('*714*3#', undefined)).toBe('');
  });
});
