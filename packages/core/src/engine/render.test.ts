import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, createActor, createMachine } from 'xstate';
import { defaultNavigationKeys, type Screen } from '../menu/screen.js';
import { isSettled, normalizeScreen, pagesOf, screenMetaOf, screenOf } from './render.js';

const ussd = (text: string) => ({ ussd: { render: (c: { n: number }) => ({ text: `${text} ${c.n}` }) } });

const nested = createMachine({
  context: { n: 3 },
  initial: 'pay',
  states: {
    pay: {
      meta: ussd('pay'),
      initial: 'amount',
      states: { amount: { meta: ussd('amount'), on: { NEXT: 'confirm' } }, confirm: {} },
    },
    working: {},
    bye: { type: 'final' },
  },
  on: { WORK: '.working', BYE: '.bye' },
  output: { text: 'Goodbye' },
});

function at(events: string[] = [], machine: AnyStateMachine = nested) {
  const actor = createActor(machine).start();
  for (const type of events) actor.send({ type });
  return actor.getSnapshot();
}

describe('the screen of a snapshot', () => {
  it('is the deepest active state that has one', () => {
    expect(screenOf(at())).toEqual({ text: 'amount 3' });
    expect(screenMetaOf(at())?.render({ n: 1 })).toEqual({ text: 'amount 1' });
  });

  it('falls back to the nearest ancestor with a screen', () => {
    expect(screenOf(at(['NEXT']))).toEqual({ text: 'pay 3' });
  });

  it('is missing while the machine works, and the output text once it finished', () => {
    expect(screenMetaOf(at(['WORK']))).toBeUndefined();
    expect(screenOf(at(['WORK']))).toBeUndefined();
    expect(screenOf(at(['BYE']))).toEqual({ text: 'Goodbye' });
  });

  it('is missing for a finished machine without a text output', () => {
    const plain = createMachine({ initial: 'bye', states: { bye: { type: 'final' } }, output: { text: 7 } });
    expect(screenOf(at([], plain))).toBeUndefined();
    const none = createMachine({ initial: 'bye', states: { bye: { type: 'final' } } });
    expect(screenOf(at([], none))).toBeUndefined();
  });

  it('is only read from the output once the machine is done', () => {
    const working = createMachine({ initial: 'a', states: { a: {} }, output: { text: 'early' } });
    expect(screenOf(at([], working))).toBeUndefined();
  });
});

describe('meta without a screen', () => {
  it('is passed over for the nearest state that has one', () => {
    const labelled = createMachine({
      context: { n: 2 },
      initial: 'pay',
      states: { pay: { meta: ussd('pay'), initial: 'a', states: { a: { meta: { label: 'not a screen' } } } } },
    });
    expect(screenOf(at([], labelled))).toEqual({ text: 'pay 2' });
  });
});

describe('settled machines', () => {
  it('wait on a screen, finished, or failed; not while working', () => {
    expect(isSettled(at())).toBe(true);
    expect(isSettled(at(['BYE']))).toBe(true);
    expect(isSettled(at(['WORK']))).toBe(false);
  });
});

describe('normalized screens', () => {
  it('replace typographic characters in the text and every label, keeping the rest', () => {
    const screen: Screen = {
      text: '\u201cPay\u201d \u2013 now\r\nplease',
      options: [{ key: '1', label: 'It\u2019s fine' }],
      nav: false,
      resumable: true,
    };
    expect(normalizeScreen(screen)).toEqual({
      text: '"Pay" - now\nplease',
      options: [{ key: '1', label: "It's fine" }],
      nav: false,
      resumable: true,
    });
  });

  it('keep a screen without options without options', () => {
    expect(normalizeScreen({ text: 'a' })).toEqual({ text: 'a', options: undefined });
  });
});

describe('pages of a screen', () => {
  const o = (septetLimit: number) => ({
    prefix: 'CON ' as const,
    septetLimit,
    keys: defaultNavigationKeys,
    labels: { more: 'More', back: 'Back' },
    nav: true,
  });

  it('are one page when the screen fits', () => {
    expect(pagesOf({ text: 'Hi', options: [{ key: '1', label: 'Go' }] }, o(160))).toEqual({
      pages: ['Hi\n1. Go'],
      truncated: false,
    });
  });

  it('cut an option too long for any page, and say so', () => {
    const r = pagesOf({ text: 'Hi', options: [{ key: '1', label: 'x'.repeat(40) }] }, o(20));
    expect(r.truncated).toBe(true);
    expect(r.pages.every((p) => p.length + 4 <= 20)).toBe(true);
  });

  it('cut a screen without options to one page ending in two dots', () => {
    expect(pagesOf({ text: 'abcdefghijkl' }, o(10))).toEqual({ pages: ['abcd..'], truncated: true });
    expect(pagesOf({ text: 'abcdefghijkl' }, { ...o(10), prefix: 'END ' })).toEqual({
      pages: ['abcd..'],
      truncated: true,
    });
  });

  it('cut to nothing but the dots when not even one character fits', () => {
    expect(pagesOf({ text: 'abc' }, o(5))).toEqual({ pages: ['..'], truncated: true });
  });
});
