import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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

describe('fixedScreenProblems at 160, 182 and 184', () => {
  const limitNetworks = [
    ['63902', 160],
    ['default', 182],
    ['63903', 184],
  ] as const;
  /** The problems in full, on the three networks above; `extra` adds to the menu definition. */
  const problemsAtLimits = (screens: Parameters<typeof m.define>[0]['screens'], extra: object = {}) =>
    fixedScreenProblems(
      m.define({ id: 't', version: 1, initialContext: () => ({}), start: 'home', screens, ...extra }),
      defaultNavigationKeys,
      limitNetworks,
    );

  it('counts the "CON " of a prompt: 156, 178 and 180 characters are the most each network takes', () => {
    const at = (n: number) =>
      problemsAtLimits({ home: m.prompt({ text: x(n), schema: z.string(), next: 'home' }) }).map((p) => p.limit);
    expect(at(156)).toEqual([]);
    expect(at(157)).toEqual([160]);
    expect(at(178)).toEqual([160]);
    expect(at(179)).toEqual([160, 182]);
    expect(at(180)).toEqual([160, 182]);
    expect(at(181)).toEqual([160, 182, 184]);
  });

  it('counts extension characters twice: 78 euro signs and "CON " are 160 septets', () => {
    const at = (n: number) => problemsAtLimits({ home: m.end({ text: '€'.repeat(n) }) }).map((p) => p.limit);
    expect(at(78)).toEqual([]);
    expect(at(79)).toEqual([160]);
  });

  it('measures texts after replacing typographic characters, so one curly quote does not make them UCS-2', () => {
    // As UCS-2, "CON " + 100 would be over the 70 units a 160 screen allows.
    expect(problemsAtLimits({ home: m.end({ text: `Don\u2019t ${x(94)}` }) })).toEqual([]);
    expect(problemsAtLimits({ home: m.end({ text: `Don\u00e7t ${x(94)}` }) }).map((p) => p.limit)).toEqual([
      160, 182, 184,
    ]);
  });

  it('reports screen, language, network, limit and the reason', () => {
    expect(problemsAtLimits({ home: m.end({ text: x(157) }) })).toEqual([
      {
        screen: 'home',
        lang: 'en',
        network: '63902',
        limit: 160,
        message: `screen text does not fit: 161 GSM-7 units against a limit of 160: "${x(40)}..."`,
      },
    ]);
  });

  it('pages long fixed menus, and counts "0. Back" on later pages of menus that keep navigation', () => {
    // Three 144-character options: one per page, "98. More" makes 160, "0. Back" on the middle page is too much.
    const options = [1, 2, 3].map(() => ({ label: x(144), next: 'home' }));
    expect(problemsAtLimits({ home: m.menu({ text: '', options }) }).map((p) => p.limit)).toEqual([160]);
    expect(problemsAtLimits({ home: m.menu({ text: '', options, nav: true }) }).map((p) => p.limit)).toEqual([160]);
    expect(problemsAtLimits({ home: m.menu({ text: '', options, nav: false }) })).toEqual([]);
  });

  it('falls back to the first language for a text that lacks one', () => {
    const screens = { home: m.end({ text: { sw: x(170) } }) };
    expect(problemsAtLimits(screens, { languages: ['sw', 'en'] }).map((p) => `${p.lang} ${p.limit}`)).toEqual([
      'sw 160',
      'en 160',
    ]);
  });

  it('falls back to the first declared language, not to English', () => {
    const screens = { home: m.end({ text: { en: 'Bye', sw: x(170) } }) };
    expect(problemsAtLimits(screens, { languages: ['sw', 'en', 'fr'] }).map((p) => `${p.lang} ${p.limit}`)).toEqual([
      'sw 160',
      'fr 160',
    ]);
  });

  it('leaves a menu with a computed header or a computed label to run time, however long its fixed parts', () => {
    expect(
      problemsAtLimits({
        home: m.menu({ text: () => 'Hi', options: [{ label: x(170), next: 'home' }] }),
        other: m.menu({ text: x(170), options: [{ label: () => 'Go', next: 'home' }] }),
      }),
    ).toEqual([]);
  });
});
