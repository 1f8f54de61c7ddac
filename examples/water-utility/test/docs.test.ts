import { readFileSync } from 'node:fs';
import { lintMenu, menuToMermaid } from '@rolax/ussd-core/menu-tools';
import { expect, it } from 'vitest';
import { menu } from '../src/ussd/menu.js';

it("keeps the README's menu diagram in step with the menu", () => {
  const doc = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = doc.split('```mermaid\n')[1]?.split('```')[0];
  expect(block, 'regenerate with: node packages/core/dist/cli.js diagram examples/water-utility/src/ussd/menu.ts').toBe(
    menuToMermaid(menu),
  );
});

it.each(['africastalking', 'hubtel', 'arkesel', 'nalo'])('lints clean for %s', (gateway) => {
  expect(lintMenu(menu, { gateway })).toEqual([]);
});
