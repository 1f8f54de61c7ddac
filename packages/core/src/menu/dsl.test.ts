import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMenu, definedMenus } from './dsl.js';

const registry = globalThis as { [definedMenus]?: unknown[] };

describe('createMenu', () => {
  afterEach(() => {
    delete registry[definedMenus];
  });

  it('tags each screen with its type and keeps every field', () => {
    const m = createMenu<{ n: number }>();
    const schema = z.string();
    expect(m.menu({ text: 'Home', options: [], nav: false })).toEqual({
      type: 'menu',
      text: 'Home',
      options: [],
      nav: false,
    });
    expect(m.prompt({ text: 'Ask', schema, next: 'home' })).toEqual({
      type: 'prompt',
      text: 'Ask',
      schema,
      next: 'home',
    });
    const run = () => 'home';
    expect(m.step({ run, readOnly: true })).toEqual({ type: 'step', run, readOnly: true });
    expect(m.end({ text: 'Bye' })).toEqual({ type: 'end', text: 'Bye' });
  });

  it('hands a defined menu to the collector the CLI sets up, and returns it unchanged', () => {
    const m = createMenu<Record<string, never>>();
    const def = { id: 'x', version: 1, initialContext: () => ({}), start: 'home', screens: {} };
    expect(m.define(def)).toBe(def);
    registry[definedMenus] = [];
    expect(m.define(def)).toBe(def);
    expect(registry[definedMenus]).toEqual([def]);
    expect(definedMenus).toBe(Symbol.for('rolax-ussd.defined-menus'));
  });
});
