import { describe, expect, it } from 'vitest';
import { paginate } from './paginate.js';
import { defaultNavigationKeys } from './screen.js';

const opts = (septetLimit: number, extra: object = {}) => ({
  prefix: 'CON ' as const,
  septetLimit,
  keys: defaultNavigationKeys,
  labels: { more: 'More', back: 'Back' },
  nav: true,
  ...extra,
});

// Five options of 50 characters each ("1. " + 47) under an 18-character header.
const header = 'Choose an account:';
const options = ['a', 'b', 'c', 'd', 'e'].map((ch, i) => ({ key: String(i + 1), label: ch.repeat(47) }));
const line = (i: number) => `${i}. ${'abcde'[i - 1]!.repeat(47)}`;

describe('pages at the network limits, with counts written out', () => {
  it('184: "CON " + header + three options + "98. More" is 184 exactly, so three fit on the first page', () => {
    expect(paginate({ text: header, options }, opts(184))).toEqual([
      [header, line(1), line(2), line(3), '98. More'].join('\n'),
      [line(4), line(5), '0. Back'].join('\n'),
    ]);
  });

  it('182: two options on the first page; the last page of three options and "0. Back" is 164', () => {
    expect(paginate({ text: header, options }, opts(182))).toEqual([
      [header, line(1), line(2), '98. More'].join('\n'),
      [line(3), line(4), line(5), '0. Back'].join('\n'),
    ]);
  });

  it('160: the same 164 no longer fits, so the fifth option gets a page of its own', () => {
    expect(paginate({ text: header, options }, opts(160))).toEqual([
      [header, line(1), line(2), '98. More'].join('\n'),
      [line(3), line(4), '98. More', '0. Back'].join('\n'),
      [line(5), '0. Back'].join('\n'),
    ]);
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
      opts(160, { overflow: 'cut', onCut: (l: string) => cut.push(l) }),
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
      opts(160, { overflow: 'cut', onCut: (l: string) => cut.push(l) }),
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
    const pages = paginate(
      { text: '💧'.repeat(60), options: [{ key: '1', label: 'Maji' }] },
      opts(160, { overflow: 'cut', onCut: (l: string) => cut.push(l) }),
    );
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
