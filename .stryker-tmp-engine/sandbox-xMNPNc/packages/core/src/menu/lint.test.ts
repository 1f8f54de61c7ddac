// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { menuToMermaid } from './diagram.js';
import { createMenu } from './dsl.js';
import { lintMenu } from './lint.js';

const m = createMenu<{ lang: string }, unknown>();
const base = {
  id: 'lintme',
  version: 1,
  languages: ['en', 'sw'],
  initialContext: () => ({ lang: 'en' }),
  start: 'home',
};

describe('lintMenu', () => {
  it('finds nothing wrong in a sound menu', () => {
    const def = m.define({
      ...base,
      screens: {
        home: m.menu({
          text: { en: 'Home', sw: 'Mwanzo' },
          options: [
            { label: { en: 'Ask', sw: 'Uliza' }, next: 'ask' },
            { label: { en: 'Exit', sw: 'Toka' }, next: 'bye' },
          ],
        }),
        ask: m.prompt({ text: { en: 'Name?', sw: 'Jina?' }, schema: z.string(), next: 'bye' }),
        bye: m.end({ text: { en: 'Bye', sw: 'Kwaheri' } }),
      },
    });
    expect(lintMenu(def)).toEqual([]);
  });

  it('reports unreachable screens, dead ends, collisions, missing translations and over-budget screens', () => {
    const def = m.define({
      ...base,
      screens: {
        home: m.menu({
          text: { en: 'Home', sw: 'Mwanzo' },
          options: [
            { label: { en: 'Loop', sw: 'Zunguka' }, next: 'loop' },
            { key: '98', label: { en: 'Clash', sw: 'Gongana' }, next: 'bye' },
          ],
        }),
        loop: m.menu({ text: { en: 'Loop' }, options: [{ label: { en: 'Again', sw: 'Tena' }, next: 'loop' }] }),
        orphan: m.end({ text: { en: 'Never', sw: 'Kamwe' } }),
        bye: m.end({ text: { en: 'Bye', sw: 'x'.repeat(190) } }),
      },
    });
    const findings = lintMenu(def);
    const rules = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.screen ?? f.message);
    expect(rules('unreachable')).toEqual(['orphan']);
    expect(rules('dead-end')).toEqual(['loop']);
    expect(rules('definition').join()).toMatch(/key "98" collides/);
    expect(rules('missing-translation')).toEqual(['loop']);
    // Swahili end screen is over budget on every network, English is not.
    expect(
      findings.filter((f) => f.rule === 'over-budget').map((f) => f.message.match(/\((\w+), (\w+)/)?.slice(1)),
    ).toEqual([
      ['sw', 'default'],
      ['sw', '63902'],
      ['sw', '63903'],
      ['sw', '64101'],
    ]);
  });

  it('draws a Mermaid diagram with every screen and edge', () => {
    const def = m.define({
      ...base,
      screens: {
        home: m.menu({ text: 'Home', options: [{ label: 'Ask', next: 'ask' }] }),
        ask: m.prompt({ text: 'Name?', schema: z.string(), next: 'save' }),
        save: m.step({ run: () => 'bye', targets: ['bye'] }),
        bye: m.end({ text: 'Bye' }),
      },
    });
    expect(menuToMermaid(def)).toBe(
      [
        'flowchart TD',
        '  home["home: Home"]',
        '  ask[/"ask: Name?"/]',
        '  save{{"save"}}',
        '  bye(["bye: Bye"])',
        '  start((dial)) --> home',
        '  home -->|"1. Ask"| ask',
        '  ask -->|"input"| save',
        '  save -->|"result"| bye',
        '',
      ].join('\n'),
    );
  });
});
