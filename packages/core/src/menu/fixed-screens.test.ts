import { describe, expect, it } from 'vitest';
import { createMenu } from './dsl.js';
import { fixedScreenProblems } from './fixed-screens.js';
import { defaultNavigationKeys } from './screen.js';

const m = createMenu<Record<string, never>>();
const x = (n: number) => 'x'.repeat(n);
const networks = [
  ['safaricom', 160],
  ['other', 182],
] as const;
const problemsOf = (screens: Parameters<typeof m.define>[0]['screens'], languages?: string[]) =>
  fixedScreenProblems(
    m.define({ id: 't', version: 1, initialContext: () => ({}), start: 'home', screens, languages }),
    defaultNavigationKeys,
    networks,
  ).map((p) => `${p.screen} ${p.lang} ${p.network} ${p.limit}`);

describe('fixedScreenProblems', () => {
  it('counts the END prefix: 157 characters fit 182 but not 160', () => {
    expect(problemsOf({ home: m.end({ text: x(157) }) })).toEqual(['home en safaricom 160']);
    expect(problemsOf({ home: m.end({ text: x(156) }) })).toEqual([]);
  });

  it('judges each language on its own, and names it', () => {
    const screens = { home: m.end({ text: { en: 'Bye', sw: x(170) } }) };
    expect(problemsOf(screens, ['en', 'sw'])).toEqual(['home sw safaricom 160']);
  });

  it('leaves computed texts, computed options, computed labels and steps to run time', () => {
    expect(
      problemsOf({
        home: m.menu({ text: () => x(500), options: [{ label: 'Go', next: 'a' }] }),
        a: m.menu({ text: x(150), options: () => [{ label: x(300), next: 'home' }], targets: ['home'] }),
        b: m.menu({ text: 'Pick', options: [{ label: () => x(300), next: 'home' }] }),
        c: m.step({ run: () => 'home', targets: ['home'] }),
      }),
    ).toEqual([]);
  });

  it('keys options by their position from 1 unless they name a key', () => {
    // "CON 1. " + 153 characters is exactly 160.
    expect(problemsOf({ home: m.menu({ text: '', options: [{ label: x(153), next: 'home' }] }) })).toEqual([]);
    expect(problemsOf({ home: m.menu({ text: '', options: [{ key: '10', label: x(153), next: 'home' }] }) })).toEqual([
      'home en safaricom 160',
    ]);
  });

  it('leaves "0. Back" off the pages of a screen without navigation', () => {
    // One 144-character option per page: with "98. More" it is 160; "0. Back" on the middle page would not fit.
    const options = [1, 2, 3].map(() => ({ label: x(144), next: 'home' }));
    expect(problemsOf({ home: m.menu({ text: '', options, nav: false }) })).toEqual([]);
    expect(problemsOf({ home: m.menu({ text: '', options }) })).toEqual(['home en safaricom 160']);
  });

  it('measures the More and Back labels in the screen language', () => {
    const options = [1, 2, 3].map(() => ({ label: x(144), next: 'home' }));
    const def = m.define({
      id: 't',
      version: 1,
      initialContext: () => ({}),
      start: 'home',
      languages: ['en', 'sw'],
      messages: { more: { en: 'More', sw: 'Zaidi sana' } },
      screens: { home: m.menu({ text: '', options, nav: false }) },
    });
    const problems = fixedScreenProblems(def, defaultNavigationKeys, networks);
    expect(problems.map((p) => `${p.lang} ${p.network}`)).toEqual(['sw safaricom']);
    expect(problems[0]!.message).toMatch(/does not fit/);
  });
});
