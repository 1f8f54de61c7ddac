import { describe, expect, it } from 'vitest';
import { measureBody } from './budget.js';
import { paginate } from './paginate.js';
import { defaultNavigationKeys } from './screen.js';

const opts = (septetLimit: number, nav = true) => ({
  prefix: 'CON ' as const,
  septetLimit,
  keys: defaultNavigationKeys,
  labels: { more: 'More', back: 'Back' },
  nav,
});

// Deterministic pseudo-random numbers so a failure can be replayed.
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('paginate', () => {
  it('keeps a screen that fits on one page untouched', () => {
    expect(paginate({ text: 'Menu', options: [{ key: '1', label: 'Pay' }] }, opts(160))).toEqual(['Menu\n1. Pay']);
  });

  it('never splits an option, never exceeds the budget, and keeps every option once (1,000 random screens)', () => {
    const random = rng(42);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz ABCDEFG{}[]€é';
    for (let n = 0; n < 1000; n++) {
      const limit = [160, 182, 184][n % 3]!;
      const count = 1 + Math.floor(random() * 30);
      const options = Array.from({ length: count }, (_, i) => {
        const len = 3 + Math.floor(random() * 40);
        const label = Array.from({ length: len }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
        return { key: String(i + 1), label: label.trim() || 'x' };
      });
      const text = 'Choose an account to continue'.slice(0, Math.floor(random() * 30));
      const pages = paginate({ text, options }, opts(limit));
      for (const page of pages) expect(measureBody(`CON ${page}`, limit).fits).toBe(true);
      const lines = pages.flatMap((p) => p.split('\n'));
      for (const o of options) {
        expect(lines.filter((l) => l === `${o.key}. ${o.label}`)).toHaveLength(1);
      }
      pages.forEach((p, i) => {
        const last = i === pages.length - 1;
        expect(p.includes('98. More')).toBe(!last);
        expect(p.includes('0. Back')).toBe(i > 0);
      });
    }
  });

  it('counts extension characters twice and switches to UCS-2 on one foreign character', () => {
    expect(measureBody(`CON ${'a'.repeat(156)}`, 160).fits).toBe(true);
    expect(measureBody(`CON ${'a'.repeat(155)}€`, 160)).toMatchObject({ encoding: 'GSM-7', units: 161, fits: false });
    expect(measureBody(`CON ${'a'.repeat(60)}ç`, 160)).toMatchObject({ encoding: 'UCS-2', units: 65, limit: 70 });
  });

  it('refuses a single option that cannot fit any page', () => {
    expect(() => paginate({ text: '', options: [{ key: '1', label: 'x'.repeat(170) }] }, opts(160))).toThrow(
      /does not fit/,
    );
  });

  it('leaves out an empty header instead of starting with a blank line', () => {
    expect(paginate({ text: '', options: [{ key: '1', label: 'Pay' }] }, opts(160))).toEqual(['1. Pay']);
    const pages = paginate(
      { text: '', options: Array.from({ length: 12 }, (_, i) => ({ key: String(i + 1), label: 'An option label' })) },
      opts(160),
    );
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toMatch(/^1\. An option label\n/);
  });

  it('names the code, the units and the start of what does not fit', () => {
    let caught: unknown;
    try {
      paginate({ text: '', options: [{ key: '1', label: 'y'.repeat(170) }] }, opts(160));
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'MENU_DEFINITION' });
    expect((caught as Error).message).toBe(
      `screen text does not fit: 177 GSM-7 units against a limit of 160: "1. ${'y'.repeat(37)}..."`,
    );
  });

  it('refuses, for fixed screens, a later option too long for a page of its own', () => {
    const options = [
      { key: '1', label: 'Pay' },
      { key: '2', label: 'z'.repeat(170) },
    ];
    expect(() => paginate({ text: 'Menu', options }, opts(160))).toThrow(/does not fit/);
  });

  it('refuses, for fixed screens, a header that leaves no room for the first option', () => {
    const options = [
      { key: '1', label: 'An option of thirty characters' },
      { key: '2', label: 'Two' },
    ];
    expect(() => paginate({ text: 'h'.repeat(140), options }, opts(160))).toThrow(/does not fit/);
  });

  describe('cutting screens computed at run time', () => {
    const cutOpts = (septetLimit: number, cut: string[]) => ({
      ...opts(septetLimit),
      overflow: 'cut' as const,
      onCut: (l: string) => cut.push(l),
    });

    it('cuts a header too long for its page and keeps every option after it', () => {
      const cut: string[] = [];
      const header = 'h'.repeat(300);
      const pages = paginate({ text: header, options: [{ key: '1', label: 'Pay' }] }, cutOpts(160, cut));
      expect(cut).toEqual([header]);
      // Cut so that "CON " + header + "..." + "\n98. More" is 160 septets exactly; the one option then fits below.
      expect(pages).toEqual([`${'h'.repeat(144)}...\n1. Pay`]);
    });

    it('keeps a header that fits as it is, reporting no cut', () => {
      const cut: string[] = [];
      const options = Array.from({ length: 12 }, (_, i) => ({ key: String(i + 1), label: 'An option label' }));
      const pages = paginate({ text: 'Choose', options }, cutOpts(160, cut));
      expect(cut).toEqual([]);
      expect(pages[0]).toMatch(/^Choose\n1\. /);
    });

    it('gives a first option too long for any page a page of its own, without an empty page before it', () => {
      const cut: string[] = [];
      const long = 'Ж'.repeat(80);
      const pages = paginate(
        {
          text: '',
          options: [
            { key: '1', label: long },
            { key: '2', label: 'Pay' },
          ],
        },
        cutOpts(160, cut),
      );
      expect(cut).toEqual([`1. ${long}`]);
      // Cut so that "CON 1. " + 51 Ж + "..." + "\n98. More" is 70 units exactly; the last option then fits below.
      expect(pages).toEqual([`1. ${'Ж'.repeat(51)}...\n2. Pay`]);
    });
  });
});
