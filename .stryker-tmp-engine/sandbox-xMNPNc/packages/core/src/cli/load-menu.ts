// @ts-nocheck
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UssdError } from '../errors.js';
import type { MenuDefinition } from '../menu/dsl.js';

const isDefinition = (v: unknown): v is MenuDefinition<any, any> =>
  typeof v === 'object' && v !== null && 'screens' in v && 'start' in v && 'id' in v;

/**
 * Imports a module and finds the menu in it: the default export, an export named `menu`, or the first export
 * that is a menu definition (or an app built from one). TypeScript modules load through tsx when it is installed.
 */
export async function loadMenuModule(path: string, exportName?: string): Promise<MenuDefinition<any, any>> {
  const file = resolve(process.cwd(), path);
  if (/\.[mc]?tsx?$/.test(file)) {
    try {
      const tsx = 'tsx/esm/api';
      const api = (await import(tsx)) as { register: () => void };
      api.register();
    } catch {
      throw new UssdError('CONFIG', `${path} is TypeScript: install tsx, or point at the built .js file`);
    }
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const candidates = exportName ? [mod[exportName]] : [mod.default, mod.menu, ...Object.values(mod)];
  for (const c of candidates) {
    if (isDefinition(c)) return c;
    const fromApp = (c as { menu?: { definition?: unknown } } | undefined)?.menu?.definition;
    if (isDefinition(fromApp)) return fromApp;
  }
  throw new UssdError('CONFIG', `no menu definition exported by ${path}${exportName ? ` as ${exportName}` : ''}`);
}
