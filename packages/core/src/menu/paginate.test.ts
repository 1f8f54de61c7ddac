import { describe, expect, it } from 'vitest';
import { measureBody } from './budget.js';
import { paginate } from './paginate.js';
import { defaultNavigationKeys } from './screen.js';

/** Options for a CON screen at `septetLimit`, with the default keys and labels; `extra` overrides any of them. */
const opts = (septetLimit: number, extra: object = {}) => ({
  prefix: 'CON ' as const,
  septetLimit,
  keys: defaultNavigationKeys,
  labels: { more: 'More', back: 'Back' },
  nav: true,
  ...extra,
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

  describe('pages at the network limits, with counts written out', () => {
    // Five options of 50 characters each ("1. " + 47) under an 18-character header.
    const header = 'Choose an account:';
    const options = ['a', 'b', 'c', 'd', 'e'].map((ch, i) => ({ key: String(i + 1), label: ch.repeat(47) }));
    const line = (i: number) => `${i}. ${'abcde'[i - 1]!.repeat(47)}`;

    it.each([
      [
        184,
        '"CON " + header + three options + "98. More" is 184 exactly, so three fit on the first page',
        [[header, line(1), line(2), line(3), '98. More'].join('\n'), [line(4), line(5), '0. Back'].join('\n')],
      ],
      [
        182,
        'two options on the first page; the last page of three options and "0. Back" is 164',
        [[header, line(1), line(2), '98. More'].join('\n'), [line(3), line(4), line(5), '0. Back'].join('\n')],
      ],
      [
        160,
        'the same 164 no longer fits, so the fifth option gets a page of its own',
        [
          [header, line(1), line(2), '98. More'].join('\n'),
          [line(3), line(4), '98. More', '0. Back'].join('\n'),
          [line(5), '0. Back'].join('\n'),
        ],
      ],
    ])('%i: %s', (limit, _why, pages) => {
      expect(paginate({ text: header, options }, opts(limit))).toEqual(pages);
    });

    it('leaves "0. Back" off later pages when navigation is off, which frees room', () => {
      expect(paginate({ text: header, options }, opts(160, { nav: false }))).toEqual([
        [header, line(1), line(2), '98. More'].join('\n'),
        [line(3), line(4), line(5)].join('\n'),
      ]);
    });

    it('uses the navigation keys and labels it is given', () => {
      const pages = paginate(
        { text: header, options },
        opts(160, { keys: { back: '*', home: '**', more: '#' }, labels: { more: 'Next', back: 'Prev' } }),
      );
      expect(pages).toEqual([
        [header, line(1), line(2), '#. Next'].join('\n'),
        [line(3), line(4), '#. Next', '*. Prev'].join('\n'),
        [line(5), '*. Prev'].join('\n'),
      ]);
    });

    it('joins a header with no options as it is when it fits, and refuses it when not', () => {
      expect(paginate({ text: 'Thank you' }, { ...opts(160), prefix: 'END ' })).toEqual(['Thank you']);
      expect(() => paginate({ text: 'x'.repeat(157) }, { ...opts(160), prefix: 'END ' })).toThrow(
        'screen text does not fit: 161 GSM-7 units against a limit of 160: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."',
      );
      // Cutting is for options: a header alone is never cut.
      expect(() => paginate({ text: 'x'.repeat(157), options: [] }, opts(160, { overflow: 'cut' }))).toThrow(
        /161 GSM-7 units/,
      );
    });

    it('names UCS-2 units and the UCS-2 limit when a foreign line does not fit', () => {
      expect(() => paginate({ text: '', options: [{ key: '1', label: 'ж'.repeat(80) }] }, opts(182))).toThrow(
        `screen text does not fit: 87 UCS-2 units against a limit of 79: "1. ${'ж'.repeat(37)}..."`,
      );
    });
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

    it('closes a page holding only a long header with "98. More" and goes on on the next page', () => {
      const cut: string[] = [];
      const pages = paginate(
        {
          text: 'h'.repeat(140),
          options: [
            { key: '1', label: 'An option of thirty characters' },
            { key: '2', label: 'Two' },
          ],
        },
        cutOpts(160, cut),
      );
      expect(pages).toEqual([`${'h'.repeat(140)}\n98. More`, '1. An option of thirty characters\n2. Two\n0. Back']);
      expect(cut).toEqual([]);
    });

    it('cuts a middle option to leave room for "98. More" and "0. Back", then lets the last option follow', () => {
      const cut: string[] = [];
      const long = `2. ${'z'.repeat(170)}`;
      const pages = paginate(
        {
          text: 'Menu',
          options: [
            { key: '1', label: 'Pay' },
            { key: '2', label: 'z'.repeat(170) },
            { key: '3', label: 'Exit' },
          ],
        },
        cutOpts(160, cut),
      );
      // "CON " + 136 + "..." + "\n98. More" + "\n0. Back" is 160.
      expect(pages).toEqual(['Menu\n1. Pay\n98. More', `2. ${'z'.repeat(133)}...\n3. Exit\n0. Back`]);
      expect(cut).toEqual([long]);
    });

    it('cuts a last option that cannot fit with only "0. Back" below it', () => {
      const pages = paginate(
        {
          text: 'Menu',
          options: [
            { key: '1', label: 'Pay' },
            { key: '2', label: 'y'.repeat(200) },
          ],
        },
        opts(182, { overflow: 'cut' }),
      );
      // "CON " + 167 + "..." + "\n0. Back" is 182.
      expect(pages).toEqual(['Menu\n1. Pay\n98. More', `2. ${'y'.repeat(164)}...\n0. Back`]);
    });

    it('cuts without a callback, and cuts with no Back line when navigation is off', () => {
      const pages = paginate(
        {
          text: '',
          options: [
            { key: '1', label: 'Pay' },
            { key: '2', label: 'y'.repeat(200) },
          ],
        },
        opts(184, { overflow: 'cut', nav: false }),
      );
      // "CON " + 177 + "..." is 184.
      expect(pages).toEqual(['1. Pay\n98. More', `2. ${'y'.repeat(174)}...`]);
    });

    it('cuts a header by whole characters, never splitting a surrogate pair', () => {
      const cut: string[] = [];
      const pages = paginate({ text: '💧'.repeat(60), options: [{ key: '1', label: 'Maji' }] }, cutOpts(160, cut));
      // UCS-2 on 160 is 70 units: "CON " 4 + 27 drops (54) + "..." 3 + "\n98. More" 9 = 70.
      expect(pages).toEqual([`${'💧'.repeat(27)}...\n1. Maji`]);
      expect(cut).toEqual(['💧'.repeat(60)]);
    });

    it('cuts a header one character too long to sit above "98. More", even without a callback', () => {
      // "CON " + 148 + "\n98. More" is 161; cut to 144 + "..." it is 160.
      const pages = paginate(
        {
          text: 'h'.repeat(148),
          options: [
            { key: '1', label: 'Pay' },
            { key: '2', label: 'Exit' },
          ],
        },
        opts(160, { overflow: 'cut' }),
      );
      expect(pages).toEqual([`${'h'.repeat(144)}...\n98. More`, '1. Pay\n2. Exit\n0. Back']);
    });

    it('gives up to a bare ellipsis, rather than running on, when even "..." cannot sit above the footer', () => {
      const more = 'M'.repeat(200);
      const pages = paginate(
        {
          text: 'Hi',
          options: [
            { key: '1', label: 'a'.repeat(100) },
            { key: '2', label: 'b'.repeat(100) },
          ],
        },
        opts(160, { overflow: 'cut', labels: { more, back: 'Back' } }),
      );
      expect(pages).toEqual([`...\n98. ${more}`, `...\n2. ${'b'.repeat(100)}\n0. Back`]);
    });
  });
});
