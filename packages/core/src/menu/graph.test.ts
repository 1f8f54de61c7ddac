import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { menuToMermaid } from './diagram.js';
import { createMenu } from './dsl.js';
import { menuGraph } from './graph.js';

const m = createMenu<{ lang?: string }, unknown>();
const base = { id: 'g', version: 1, initialContext: () => ({}), start: 'home' };

describe('menuGraph', () => {
  it('labels option edges with their key and first-language label, prompts "input", steps "result" and "error"', () => {
    const def = m.define({
      ...base,
      languages: ['sw', 'en'],
      screens: {
        home: m.menu({
          text: 'Home',
          options: [
            { label: { en: 'Pay', sw: 'Lipa' }, next: 'amount' },
            { key: '7', label: () => 'Computed', next: 'bye' },
            { label: 'Plain', next: 'bye' },
          ],
        }),
        amount: m.prompt({ text: 'Amount', schema: z.string(), next: 'save' }),
        save: m.step({ run: () => 'bye', targets: ['bye'], onError: 'oops' }),
        oops: m.end({ text: 'Oops' }),
        bye: m.end({ text: 'Bye' }),
      },
    });
    expect(menuGraph(def)).toEqual({
      edges: [
        { from: 'home', to: 'amount', label: '1. Lipa' },
        { from: 'home', to: 'bye', label: '7. choice' },
        { from: 'home', to: 'bye', label: '3. Plain' },
        { from: 'amount', to: 'save', label: 'input' },
        { from: 'save', to: 'bye', label: 'result' },
        { from: 'save', to: 'oops', label: 'error' },
      ],
      dynamic: [],
    });
  });

  it('reads labels in English when the menu names no languages', () => {
    const def = m.define({
      ...base,
      screens: {
        home: m.menu({ text: 'Home', options: [{ label: { sw: 'Toka', en: 'Exit' }, next: 'bye' }] }),
        bye: m.end({ text: 'Bye' }),
      },
    });
    expect(menuGraph(def).edges).toEqual([{ from: 'home', to: 'bye', label: '1. Exit' }]);
  });

  it('fans computed destinations out to their declared targets, or to every screen and lists them as dynamic', () => {
    const def = m.define({
      ...base,
      screens: {
        home: m.menu({ text: 'Home', options: () => [], targets: ['ask'] }),
        ask: m.prompt({ text: 'Ask', schema: z.string(), next: () => 'bye', targets: ['bye'] }),
        any: m.menu({ text: 'Any', options: () => [] }),
        guess: m.prompt({ text: 'Guess', schema: z.string(), next: () => 'bye' }),
        run: m.step({ run: () => 'bye' }),
        bye: m.end({ text: 'Bye' }),
      },
    });
    const all = ['home', 'ask', 'any', 'guess', 'run', 'bye'];
    expect(menuGraph(def)).toEqual({
      edges: [
        { from: 'home', to: 'ask', label: 'choice' },
        { from: 'ask', to: 'bye', label: 'input' },
        ...all.map((to) => ({ from: 'any', to, label: 'choice' })),
        ...all.map((to) => ({ from: 'guess', to, label: 'input' })),
        ...all.map((to) => ({ from: 'run', to, label: 'result' })),
      ],
      dynamic: ['any', 'guess', 'run'],
    });
  });
});

describe('menuToMermaid', () => {
  it('makes names safe ids, captions the first line of the first language, and draws each edge once', () => {
    const def = m.define({
      ...base,
      start: 'main-menu',
      languages: ['sw', 'en'],
      screens: {
        'main-menu': m.menu({
          text: { en: 'Welcome', sw: 'Karibu "mteja"\nChagua' },
          options: [
            { label: 'Say "hi"', next: 'end.1' },
            { key: '1', label: 'Say "hi"', next: 'end.1' },
            { label: 'Later', next: 'calc' },
          ],
        }),
        calc: m.menu({ text: () => 'Computed', options: () => [], targets: ['end.1', 'end.1'] }),
        'end.1': m.end({ text: 'A'.repeat(45) }),
      },
    });
    expect(menuToMermaid(def)).toBe(
      [
        'flowchart TD',
        `  main_menu["main-menu: Karibu 'mteja'"]`,
        '  calc["calc"]',
        `  end_1(["end.1: ${'A'.repeat(40)}"])`,
        '  start((dial)) --> main_menu',
        `  main_menu -->|"1. Say 'hi'"| end_1`,
        `  main_menu -->|"3. Later"| calc`,
        '  calc -->|"choice"| end_1',
        '',
      ].join('\n'),
    );
  });

  it('captions in English when the menu names no languages, and names steps and computed texts only', () => {
    const def = m.define({
      ...base,
      screens: {
        home: m.menu({ text: { sw: 'Karibu', en: 'Welcome' }, options: [{ label: 'Go', next: 'run' }] }),
        run: m.step({ run: () => 'bye', targets: ['bye'] }),
        bye: m.end({ text: () => 'Bye' }),
      },
    });
    expect(menuToMermaid(def).split('\n').slice(1, 4)).toEqual([
      '  home["home: Welcome"]',
      '  run{{"run"}}',
      '  bye(["bye"])',
    ]);
  });

  it('replaces every quote in captions and edge labels, not only the first', () => {
    const def = m.define({
      ...base,
      screens: {
        home: m.menu({ text: '"a" "b"', options: [{ label: '"c" "d"', next: 'bye' }] }),
        bye: m.end({ text: 'Bye' }),
      },
    });
    const out = menuToMermaid(def);
    expect(out).toContain(`  home["home: 'a' 'b'"]\n`);
    expect(out).toContain(`  home -->|"1. 'c' 'd'"| bye\n`);
  });
});
