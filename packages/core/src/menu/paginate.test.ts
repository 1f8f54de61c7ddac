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
});
