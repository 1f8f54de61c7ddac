import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMenu, type MenuDefinition } from './dsl.js';
import { fixedScreenProblems } from './fixed-screens.js';
import { defaultNavigationKeys } from './screen.js';

const m = createMenu<Record<string, never>>();
const x = (n: number) => 'x'.repeat(n);
const networks = [
  ['63902', 160],
  ['default', 182],
  ['63903', 184],
] as const;
const problemsOf = (screens: MenuDefinition<Record<string, never>>['screens'], extra: object = {}) =>
  fixedScreenProblems(
    m.define({ id: 't', version: 1, initialContext: () => ({}), start: 'home', screens, ...extra }),
    defaultNavigationKeys,
    networks,
  );

describe('fixedScreenProblems at 160, 182 and 184', () => {
  it('counts the "CON " of a prompt: 156, 178 and 180 characters are the most each network takes', () => {
    const at = (n: number) =>
      problemsOf({ home: m.prompt({ text: x(n), schema: z.string(), next: 'home' }) }).map((p) => p.limit);
    expect(at(156)).toEqual([]);
    expect(at(157)).toEqual([160]);
    expect(at(178)).toEqual([160]);
    expect(at(179)).toEqual([160, 182]);
    expect(at(180)).toEqual([160, 182]);
    expect(at(181)).toEqual([160, 182, 184]);
  });

  it('counts extension characters twice: 78 euro signs and "CON " are 160 septets', () => {
    const at = (n: number) => problemsOf({ home: m.end({ text: '€'.repeat(n) }) }).map((p) => p.limit);
    expect(at(78)).toEqual([]);
    expect(at(79)).toEqual([160]);
  });

  it('measures texts after replacing typographic characters, so one curly quote does not make them UCS-2', () => {
    // As UCS-2, "CON " + 100 would be over the 70 units a 160 screen allows.
    expect(problemsOf({ home: m.end({ text: `Don\u2019t ${x(94)}` }) })).toEqual([]);
    expect(problemsOf({ home: m.end({ text: `Don\u00e7t ${x(94)}` }) }).map((p) => p.limit)).toEqual([160, 182, 184]);
  });

  it('reports screen, language, network, limit and the reason', () => {
    expect(problemsOf({ home: m.end({ text: x(157) }) })).toEqual([
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
    expect(problemsOf({ home: m.menu({ text: '', options }) }).map((p) => p.limit)).toEqual([160]);
    expect(problemsOf({ home: m.menu({ text: '', options, nav: true }) }).map((p) => p.limit)).toEqual([160]);
    expect(problemsOf({ home: m.menu({ text: '', options, nav: false }) })).toEqual([]);
  });

  it('falls back to the first language for a text that lacks one', () => {
    const screens = { home: m.end({ text: { sw: x(170) } }) };
    expect(problemsOf(screens, { languages: ['sw', 'en'] }).map((p) => `${p.lang} ${p.limit}`)).toEqual([
      'sw 160',
      'en 160',
    ]);
  });

  it('falls back to the first declared language, not to English', () => {
    const screens = { home: m.end({ text: { en: 'Bye', sw: x(170) } }) };
    expect(problemsOf(screens, { languages: ['sw', 'en', 'fr'] }).map((p) => `${p.lang} ${p.limit}`)).toEqual([
      'sw 160',
      'fr 160',
    ]);
  });

  it('leaves a menu with a computed header or a computed label to run time, however long its fixed parts', () => {
    expect(
      problemsOf({
        home: m.menu({ text: () => 'Hi', options: [{ label: x(170), next: 'home' }] }),
        other: m.menu({ text: x(170), options: [{ label: () => 'Go', next: 'home' }] }),
      }),
    ).toEqual([]);
  });
});
