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

type Screens = Parameters<typeof m.define>[0]['screens'];
/** A menu of these screens, in one language unless others are given. */
const menuOf = (screens: Screens, languages?: string[]) => m.define({ ...base, screens, languages });

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

describe('lintMenu findings, written out in full', () => {
  it('reports unreachable screens and dead ends with their messages, ignoring edges to unknown screens', () => {
    const findings = lintMenu(
      menuOf({
        home: m.menu({
          text: 'Home',
          options: [
            { label: 'Loop', next: 'loop' },
            { label: 'Lost', next: 'ghost' },
          ],
        }),
        loop: m.menu({ text: 'Loop', options: [{ label: 'Again', next: 'loop' }] }),
        orphan: m.menu({ text: 'Orphan', options: [{ label: 'Orphan', next: 'orphan' }] }),
      }),
    );
    expect(findings).toEqual([
      {
        level: 'error',
        rule: 'definition',
        message: 'screen "home": option "2" goes to unknown screen "ghost"',
      },
      { level: 'error', screen: 'orphan', rule: 'unreachable', message: 'no path reaches "orphan"' },
      { level: 'error', screen: 'home', rule: 'dead-end', message: 'no END screen can be reached from "home"' },
      { level: 'error', screen: 'loop', rule: 'dead-end', message: 'no END screen can be reached from "loop"' },
    ]);
  });

  it('follows chains of screens both ways: reached from the start, and able to reach an END', () => {
    const findings = lintMenu(
      menuOf({
        home: m.menu({ text: 'Home', options: [{ label: 'A', next: 'a' }] }),
        a: m.menu({ text: 'A', options: [{ label: 'B', next: 'b' }] }),
        b: m.prompt({ text: 'B', schema: z.string(), next: 'c' }),
        c: m.step({ run: () => 'd', targets: ['d'] }),
        d: m.end({ text: 'D' }),
      }),
      { gateway: 'hubtel' },
    );
    expect(findings).toEqual([]);
  });

  it('warns once per screen that computes where it goes without declaring targets', () => {
    const findings = lintMenu(
      menuOf({
        home: m.menu({ text: 'Home', options: () => [] }),
        run: m.step({ run: () => 'bye' }),
        bye: m.end({ text: 'Bye' }),
      }),
      { gateway: 'hubtel' },
    );
    expect(findings).toEqual([
      {
        level: 'warning',
        screen: 'home',
        rule: 'dynamic-targets',
        message:
          '"home" computes where it goes without declaring targets; reachability checks treat it as going anywhere',
      },
      {
        level: 'warning',
        screen: 'run',
        rule: 'dynamic-targets',
        message:
          '"run" computes where it goes without declaring targets; reachability checks treat it as going anywhere',
      },
    ]);
  });

  it('lists every language a text misses, in texts and option labels, but not in strings or computed texts', () => {
    const findings = lintMenu(
      menuOf(
        {
          home: m.menu({
            text: { en: 'Home' },
            options: [
              { label: { en: 'Ask', sw: 'Uliza', fr: 'Demander' }, next: 'ask' },
              { label: { fr: 'Fin' }, next: 'bye' },
              { label: () => 'Computed', next: 'bye' },
            ],
          }),
          ask: m.prompt({ text: () => 'Computed', schema: z.string(), next: 'bye' }),
          bye: m.end({ text: 'Bye' }),
        },
        ['en', 'sw', 'fr'],
      ),
    ).filter((f) => f.rule === 'missing-translation');
    expect(findings).toEqual([
      { level: 'error', screen: 'home', rule: 'missing-translation', message: '"home" has no sw, fr text' },
      { level: 'error', screen: 'home', rule: 'missing-translation', message: '"home" has no en, sw text' },
    ]);
  });

  it('judges budgets against the limits and keys given, naming language, network and limit', () => {
    const screens = {
      home: m.menu({
        text: 'x'.repeat(120),
        options: [
          { label: 'Go', next: 'bye' },
          { key: '#', label: 'Hash', next: 'bye' },
        ],
      }),
      bye: m.end({ text: 'Bye' }),
    };
    const limits = { default: 140, byNetwork: { '62001': 120 } };
    // "CON " + 120 + "\n1. Go" + "\n#. Hash" is 138: it fits 140, but not 120 even cut into pages.
    const over = lintMenu(menuOf(screens), { limits }).filter((f) => f.rule === 'over-budget');
    expect(over.map((f) => f.message.replace(/: screen text.*/, ''))).toEqual(['"home" (en, 62001 120)']);
    expect(over[0]).toMatchObject({ level: 'error', screen: 'home' });
    // With "#" as the navigation key for more, the option's key now collides.
    expect(lintMenu(menuOf(screens), { keys: { more: '#' } }).map((f) => f.message)).toEqual([
      'screen "home": key "#" collides with a navigation key (set nav: false or pick another)',
    ]);
  });
});

describe('retried keys', () => {
  const retried = (screens: Screens, gateway?: string) =>
    lintMenu(menuOf(screens), { gateway })
      .filter((f) => f.rule === 'retried-key')
      .map((f) => f.message);

  it('warns with level, screen and the whole message', () => {
    const findings = lintMenu(
      menuOf({
        home: m.menu({ text: 'Home', options: [{ label: 'Pay', next: 'confirm' }] }),
        confirm: m.menu({ text: 'Sure?', options: [{ label: 'Yes', next: 'pay' }] }),
        pay: m.step({ run: () => 'bye', targets: ['bye'] }),
        bye: m.end({ text: 'Bye' }),
      }),
      { gateway: 'nalo' },
    );
    expect(findings).toEqual([
      {
        level: 'warning',
        screen: 'confirm',
        rule: 'retried-key',
        message:
          '"confirm": "1" here runs "pay", and "home" leads here with "1": on Arkesel and Nalo a late retry of that ' +
          'request would run it. Use another key for one of them',
      },
    ]);
  });

  it('sees through read-only steps to the screen the customer rests on and the step with effects after them', () => {
    const messages = retried({
      home: m.menu({ text: 'Home', options: [{ label: 'Look', next: 'look' }] }),
      // A read-only step passes the customer on to "shown" in the same turn.
      look: m.step({ run: () => 'shown', targets: ['shown'], readOnly: true }),
      shown: m.menu({ text: 'Shown', options: [{ label: 'Check', next: 'check' }] }),
      // Read-only, but it may go on to a step with effects.
      check: m.step({ run: () => 'save', targets: ['save'], readOnly: true }),
      save: m.step({ run: () => 'bye', targets: ['bye'] }),
      bye: m.end({ text: 'Bye' }),
    });
    expect(messages.map((x) => x.slice(0, x.indexOf(':', 12)))).toEqual([
      '"shown": "1" here runs "save", and "home" leads here with "1"',
    ]);
  });

  it('counts a read-only step with unknown targets as one with effects, and its onError as a place to rest', () => {
    const messages = retried({
      home: m.menu({
        text: 'Home',
        options: [
          { label: 'Try', next: 'try' },
          { label: 'Peek', next: 'peek' },
        ],
      }),
      try: m.step({ run: () => 'bye', targets: ['bye'], onError: 'failed', readOnly: true }),
      failed: m.menu({
        text: 'Failed',
        options: [
          { label: 'Peek', next: 'peek' },
          { label: 'Bye', next: 'bye' },
        ],
      }),
      peek: m.step({ run: () => 'bye', readOnly: true }),
      bye: m.end({ text: 'Bye' }),
    });
    expect(messages.map((x) => x.slice(0, x.indexOf(':', 12)))).toEqual([
      '"failed": "1" here runs "peek", and "home" leads here with "1"',
    ]);
  });

  it('does not loop on read-only steps that lead to each other', () => {
    const messages = retried({
      home: m.menu({ text: 'Home', options: [{ label: 'A', next: 'a' }] }),
      a: m.step({ run: () => 'b', targets: ['b', 'bye'], readOnly: true }),
      b: m.step({ run: () => 'a', targets: ['a'], readOnly: true }),
      bye: m.end({ text: 'Bye' }),
    });
    expect(messages).toEqual([]);
  });

  it('warns when a prompt reached by a key accepts that key and its next screen is a step', () => {
    const screens = {
      home: m.menu({
        text: 'Home',
        options: [
          { label: 'Note', next: 'note' },
          { label: 'Code', next: 'code' },
        ],
      }),
      note: m.prompt({ text: 'Note:', schema: z.string(), next: 'save' }),
      // Accepts only long codes: a retried "2" is refused.
      code: m.prompt({ text: 'Code:', schema: z.string().min(4), next: 'save' }),
      save: m.step({ run: () => 'bye', targets: ['bye'] }),
      bye: m.end({ text: 'Bye' }),
    };
    expect(retried(screens).map((x) => x.slice(0, x.indexOf(':', 12)))).toEqual([
      '"note": "1" here runs "save", and "home" leads here with "1"',
    ]);
    expect(retried(screens, 'africastalking')).toEqual([]);
    expect(retried(screens, 'arkesel')).toHaveLength(1);
  });

  it('takes a prompt with a computed next and no targets as able to run any step', () => {
    const messages = retried({
      home: m.menu({ text: 'Home', options: [{ label: 'Ask', next: 'ask' }] }),
      ask: m.prompt({ text: 'Ask:', schema: z.string(), next: () => 'bye' }),
      save: m.step({ run: () => 'bye', targets: ['bye'] }),
      bye: m.end({ text: 'Bye' }),
    });
    expect(messages.map((x) => x.slice(0, x.indexOf(':', 12)))).toEqual([
      '"ask": "1" here runs "save", and "home" leads here with "1"',
    ]);
  });

  it('follows a prompt with a computed next to its declared targets when its answer is a key there', () => {
    const messages = retried({
      home: m.prompt({ text: 'Amount:', schema: z.string(), next: () => 'confirm', targets: ['confirm'] }),
      confirm: m.menu({
        text: 'Sure?',
        options: [
          { label: 'Yes', next: 'pay' },
          { label: 'No', next: 'bye' },
        ],
      }),
      pay: m.step({ run: () => 'bye', targets: ['bye'] }),
      bye: m.end({ text: 'Bye' }),
    });
    expect(messages.map((x) => x.slice(0, x.indexOf(':', 12)))).toEqual([
      '"confirm": "1" here runs "pay", and "home" leads here with "1"',
    ]);
  });

  it('does not warn when the arriving key differs, or the option leads to a screen rather than a step', () => {
    expect(
      retried({
        home: m.menu({
          text: 'Home',
          options: [
            { label: 'Pay', next: 'confirm' },
            { label: 'Menu', next: 'menu' },
          ],
        }),
        confirm: m.menu({
          text: 'Sure?',
          options: [
            { label: 'No', next: 'bye' },
            { label: 'Yes', next: 'pay' },
          ],
        }),
        menu: m.menu({ text: 'Menu', options: [{ label: 'Home', next: 'home' }] }),
        pay: m.step({ run: () => 'bye', targets: ['bye'] }),
        bye: m.end({ text: 'Bye' }),
      }),
    ).toEqual([]);
  });
});
