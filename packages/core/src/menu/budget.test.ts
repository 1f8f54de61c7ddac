import { describe, expect, it } from 'vitest';
import { defaultScreenLimits, limitFor, measureBody } from './budget.js';
import { paginate } from './paginate.js';
import { defaultNavigationKeys } from './screen.js';

// An oracle written from GSM 03.38 itself, in table order, sharing nothing with the code under test.
const GSM7_TABLE = [
  '@£$¥èéùìòÇ\nØø\rÅå',
  'Δ_ΦΓΛΩΠΨΣΘΞ' /* 0x1B is the escape to the extension table */,
  'ÆæßÉ',
  ' !"#¤%&\'()*+,-./',
  '0123456789:;<=>?',
  '¡ABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÄÖÑÜ§',
  '¿abcdefghijklmno',
  'pqrstuvwxyzäöñüà',
].join('');
const GSM7_ESCAPED = '\u000c^{}\\[~]|€';
// Payload a UCS-2 screen may carry on each network, written out rather than computed: floor(septets * 7 / 16).
const UCS2_LIMIT: Record<number, number> = { 160: 70, 182: 79, 184: 80 };

function oracle(body: string, septetLimit: number): { encoding: string; units: number; fits: boolean } {
  let septets = 0;
  let ucs2 = false;
  for (const ch of body) {
    if (GSM7_TABLE.includes(ch)) septets += 1;
    else if (GSM7_ESCAPED.includes(ch)) septets += 2;
    else ucs2 = true;
  }
  if (!ucs2) return { encoding: 'GSM-7', units: septets, fits: septets <= septetLimit };
  let units = 0;
  for (const ch of body) units += ch.codePointAt(0)! > 0xffff ? 2 : 1;
  return { encoding: 'UCS-2', units, fits: units <= UCS2_LIMIT[septetLimit]! };
}

describe('network limits', () => {
  it('are 160 on Safaricom, 184 on Airtel Kenya and Uganda, 182 anywhere else', () => {
    expect(limitFor(defaultScreenLimits, '63902')).toBe(160);
    expect(limitFor(defaultScreenLimits, '63903')).toBe(184);
    expect(limitFor(defaultScreenLimits, '64101')).toBe(184);
    expect(limitFor(defaultScreenLimits, '63907')).toBe(182);
    expect(limitFor(defaultScreenLimits, '62001')).toBe(182);
    expect(limitFor(defaultScreenLimits, undefined)).toBe(182);
    expect(limitFor(defaultScreenLimits, '')).toBe(182);
  });

  it('take a configured network over the default, and the default for the rest', () => {
    const limits = { default: 150, byNetwork: { '62002': 120 } };
    expect(limitFor(limits, '62002')).toBe(120);
    expect(limitFor(limits, '63902')).toBe(150);
  });
});

describe('measureBody against counts written by hand', () => {
  const cases: [string, number, 'GSM-7' | 'UCS-2', number][] = [
    ['CON Welcome', 160, 'GSM-7', 11],
    ['CON Pay KES 1,000 [ok]', 160, 'GSM-7', 24],
    ['END €5 {x}', 182, 'GSM-7', 13],
    ['CON a|b~c^d\\e', 184, 'GSM-7', 17],
    ['CON Äpfel für Ñandu à 5¤', 160, 'GSM-7', 24],
    ['CON Habari ç', 160, 'UCS-2', 12],
    ['CON 💧 Maji', 160, 'UCS-2', 11],
    ['CON Lipa ₵5 [ok]', 182, 'UCS-2', 16],
  ];
  it.each(cases)('%j on %i: %s, %i units', (body, limit, encoding, units) => {
    const m = measureBody(body, limit);
    expect(m).toMatchObject({ encoding, units });
    expect(oracle(body, limit)).toMatchObject({ encoding, units });
  });

  it('puts each limit at its exact edge, in both encodings', () => {
    const edges: [number, number, number][] = [
      // septet limit, GSM-7 characters that just fit after "CON ", UCS-2 units that just fit after "CON "
      [160, 156, 66],
      [182, 178, 75],
      [184, 180, 76],
    ];
    for (const [limit, gsm, ucs] of edges) {
      expect(measureBody(`CON ${'a'.repeat(gsm)}`, limit)).toMatchObject({ units: limit, limit, fits: true });
      expect(measureBody(`CON ${'a'.repeat(gsm + 1)}`, limit).fits).toBe(false);
      expect(measureBody(`CON ${'a'.repeat(gsm - 1)}€`, limit)).toMatchObject({ units: limit + 1, fits: false });
      expect(measureBody(`CON ${'ж'.repeat(ucs)}`, limit)).toMatchObject({ encoding: 'UCS-2', limit: ucs + 4 });
      expect(measureBody(`CON ${'ж'.repeat(ucs)}`, limit).fits).toBe(true);
      expect(measureBody(`CON ${'ж'.repeat(ucs + 1)}`, limit).fits).toBe(false);
    }
  });
});

// Deterministic pseudo-random numbers so a failure can be replayed.
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('paginated screens checked by the oracle', () => {
  const GSM = 'abcdefghijklmnopqrstuvwxyz ABCDEFG0123456789.,é';
  const EXT = '{}[]€|~^';
  const UCS2 = 'çжЖ₵ąłőšțאב💧';
  const pick = (random: () => number, s: string) => {
    const chars = Array.from(s);
    return chars[Math.floor(random() * chars.length)]!;
  };
  const label = (random: () => number, len: number, foreign: number) =>
    Array.from({ length: len }, () => {
      const r = random();
      return r < foreign ? pick(random, UCS2) : r < foreign + 0.1 ? pick(random, EXT) : pick(random, GSM);
    })
      .join('')
      .trim() || 'x';

  it('fit every page, keep every option once, and cut only what cannot fit alone (600 random screens)', () => {
    const random = rng(7);
    let cutScreens = 0;
    for (let n = 0; n < 600; n++) {
      const limit = [160, 182, 184][n % 3]!;
      const foreign = n % 4 === 0 ? 0 : 0.05;
      const count = 1 + Math.floor(random() * 30);
      const options = Array.from({ length: count }, (_, i) => ({
        key: String(i + 1),
        label: label(random, 2 + Math.floor(random() * (n % 5 === 0 ? 90 : 35)), foreign),
      }));
      const text = label(random, Math.floor(random() * 30), foreign);
      const cut: string[] = [];
      const pages = paginate(
        { text, options },
        {
          prefix: 'CON ',
          septetLimit: limit,
          keys: defaultNavigationKeys,
          labels: { more: 'More', back: 'Back' },
          nav: true,
          overflow: 'cut',
          onCut: (l) => cut.push(l),
        },
      );
      if (cut.length > 0) cutScreens++;
      for (const page of pages) expect(oracle(`CON ${page}`, limit).fits, page).toBe(true);
      const lines = pages.flatMap((p) => p.split('\n'));
      for (const o of options) {
        const whole = `${o.key}. ${o.label}`;
        const shown = lines.filter((l) => l === whole || (l.startsWith(`${o.key}. `) && l.endsWith('...')));
        expect(shown, whole).toHaveLength(1);
        if (shown[0] !== whole) {
          expect(cut).toContain(whole);
          expect(whole.startsWith(shown[0]!.slice(0, -3))).toBe(true);
          // Cut only when even a page of its own could not hold it.
          const alone = pages.find((p) => p.split('\n').includes(shown[0]!))!;
          expect(oracle(`CON ${alone.replace(shown[0]!, whole)}`, limit).fits).toBe(false);
        }
      }
      pages.forEach((p, i) => {
        const last = i === pages.length - 1;
        expect(p.split('\n').includes('98. More')).toBe(!last);
        expect(p.split('\n').includes('0. Back')).toBe(i > 0);
      });
    }
    // The generator does reach the cutting path, and mostly does not need it.
    expect(cutScreens).toBeGreaterThan(10);
    expect(cutScreens).toBeLessThan(300);
  });
});
