import type { MenuDefinition } from './dsl.js';
import { menuGraph } from './graph.js';
import { pickLanguage } from './text.js';

/** A Mermaid flowchart of a menu: menus as boxes, prompts as parallelograms, steps as hexagons, ends as pills. */
export function menuToMermaid(def: MenuDefinition<any, any>): string {
  const lang = def.languages?.[0] ?? 'en';
  const lines = ['flowchart TD'];
  const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
  const caption = (name: string, text: unknown) => {
    // Steps have no text; computed texts are only known at run time.
    if (typeof text === 'function' || text === undefined) return `"${name}"`;
    const t = pickLanguage(text as never, lang, lang);
    return `"${name}: ${t.split('\n')[0]!.slice(0, 40).replace(/"/g, "'")}"`;
  };
  for (const [name, s] of Object.entries(def.screens)) {
    const label = caption(name, (s as { text?: unknown }).text);
    const shape =
      s.type === 'menu'
        ? `[${label}]`
        : s.type === 'prompt'
          ? `[/${label}/]`
          : s.type === 'step'
            ? `{{${label}}}`
            : `([${label}])`;
    lines.push(`  ${id(name)}${shape}`);
  }
  lines.push(`  start((dial)) --> ${id(def.start)}`);
  const { edges } = menuGraph(def);
  const seen = new Set<string>();
  for (const e of edges) {
    const key = `${e.from}>${e.to}>${e.label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`  ${id(e.from)} -->|"${e.label.replace(/"/g, "'")}"| ${id(e.to)}`);
  }
  return lines.join('\n') + '\n';
}
