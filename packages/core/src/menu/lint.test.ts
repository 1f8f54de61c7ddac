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

  it('warns, on gateways without hop numbers, where a late retry of a key would press it again and run a step', () => {
    const def = m.define({
      ...base,
      screens: {
        home: m.menu({
          text: 'Home',
          options: [
            { label: 'Pay', next: 'confirm' },
            { label: 'Note', next: 'note' },
            { label: 'Look', next: 'look' },
            { label: 'Amount', next: 'amount' },
          ],
        }),
        // "1. Pay" then "1. Confirm": a retried 1 confirms.
        confirm: m.menu({
          text: 'Sure?',
          options: [
            { label: 'Confirm', next: 'pay' },
            { label: 'Cancel', next: 'bye' },
          ],
        }),
        pay: m.step({ run: () => 'bye', targets: ['bye'] }),
        // Reached with 2, and 2 is a valid note: a retried 2 saves it.
        note: m.prompt({ text: 'Note:', schema: z.string(), next: 'save' }),
        save: m.step({ run: () => 'bye', targets: ['bye'] }),
        // Only reads: a retried 3 that runs it again changes nothing.
        look: m.step({ run: () => 'shown', targets: ['shown'], readOnly: true }),
        shown: m.menu({
          text: 'Shown',
          options: [
            { label: 'A', next: 'bye' },
            { label: 'B', next: 'bye' },
            { label: 'Again', next: 'look' },
          ],
        }),
        // An amount of 1 is a valid answer that leads to "confirm", where 1 confirms.
        amount: m.prompt({ text: 'Amount:', schema: z.coerce.number().min(1), next: 'confirm' }),
        bye: m.end({ text: 'Bye' }),
      },
    });
    const retried = (gateway?: string) =>
      lintMenu(def, { gateway })
        .filter((f) => f.rule === 'retried-key')
        .map((f) => `${f.screen} ${f.message.match(/"(\w+)" leads/)?.[1]}`);
    expect(retried()).toEqual(['confirm home', 'confirm amount', 'note home']);
    expect(retried('arkesel')).toEqual(retried());
    expect(retried('nalo')).toEqual(retried());
    expect(retried('africastalking')).toEqual([]);
    expect(retried('hubtel')).toEqual([]);
    expect(lintMenu(def)[0]?.message).toContain('"confirm": "1" here runs "pay", and "home" leads here with "1"');

    // Confirm on another key, and a note that is never a bare key: nothing left to warn about.
    const fixed = {
      ...def,
      screens: {
        ...def.screens,
        confirm: m.menu({
          text: 'Sure?',
          options: [
            { label: 'Cancel', next: 'bye' },
            { key: '2', label: 'Confirm', next: 'pay' },
          ],
        }),
        note: m.prompt({ text: 'Note:', schema: z.string().min(2), next: 'save' }),
        amount: m.prompt({ text: 'Amount:', schema: z.coerce.number().min(10), next: 'confirm' }),
      },
    };
    expect(lintMenu(fixed).filter((f) => f.rule === 'retried-key')).toEqual([]);
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
