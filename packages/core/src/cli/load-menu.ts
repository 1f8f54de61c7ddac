import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UssdError } from '../errors.js';
import { definedMenus, type MenuDefinition } from '../menu/dsl.js';

const isDefinition = (v: unknown): v is MenuDefinition<any, any> =>
  typeof v === 'object' && v !== null && 'screens' in v && 'start' in v && 'id' in v;

/**
 * Imports a module and finds the menu in it: the default export, an export named `menu`, the first export that is
 * a menu definition (or an app built from one), else the first menu the module built while loading (an entry file
 * that starts a server exports nothing). TypeScript loads through jiti, a dependency of this package.
 */
export async function loadMenuModule(path: string, exportName?: string): Promise<MenuDefinition<any, any>> {
  const file = resolve(process.cwd(), path);
  const built: unknown[] = [];
  const registry = globalThis as { [definedMenus]?: unknown[] };
  registry[definedMenus] = built;
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } finally {
    delete registry[definedMenus];
  }
  const candidates = exportName
    ? [mod[exportName]]
    : [mod.default, mod.menu, ...Object.values(mod), ...built.filter(isDefinition)];
  for (const c of candidates) {
    if (isDefinition(c)) return c;
    const fromApp = (c as { menu?: { definition?: unknown } } | undefined)?.menu?.definition;
    if (isDefinition(fromApp)) return fromApp;
  }
  throw new UssdError('CONFIG', `no menu definition exported by ${path}${exportName ? ` as ${exportName}` : ''}`);
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  if (!/\.[mc]?tsx?$/.test(file)) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const { createJiti } = await import('jiti');
  return (await createJiti(import.meta.url, { moduleCache: false }).import(file)) as Record<string, unknown>;
}
