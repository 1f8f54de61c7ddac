import type { MenuDefinition, ScreenDef } from './dsl.js';
import { pickLanguage } from './text.js';

export interface MenuEdge {
  from: string;
  to: string;
  /** What takes the customer along it: `1. Pay bill`, `input`, `result`, `error`. */
  label: string;
}

/**
 * The screens a definition can move between, as far as can be read without running it. Computed options, a
 * computed `next` and steps use their declared `targets`; without them every screen is a possible target and
 * `dynamic` lists the screen, so lint can say so.
 */
export function menuGraph(def: MenuDefinition<any, any>): { edges: MenuEdge[]; dynamic: string[] } {
  const all = Object.keys(def.screens);
  const lang = def.languages?.[0] ?? 'en';
  const edges: MenuEdge[] = [];
  const dynamic: string[] = [];
  const fan = (from: string, targets: readonly string[] | undefined, label: string) => {
    if (!targets) dynamic.push(from);
    for (const to of targets ?? all) edges.push({ from, to, label });
  };
  for (const [from, s] of Object.entries(def.screens) as [string, ScreenDef<any, any>][]) {
    switch (s.type) {
      case 'menu':
        if (typeof s.options === 'function') fan(from, s.targets, 'choice');
        else
          s.options.forEach((c, i) => {
            const label = typeof c.label === 'function' ? 'choice' : pickLanguage(c.label, lang, lang);
            edges.push({ from, to: c.next, label: `${c.key ?? i + 1}. ${label}` });
          });
        break;
      case 'prompt':
        if (typeof s.next === 'function') fan(from, s.targets, 'input');
        else edges.push({ from, to: s.next, label: 'input' });
        break;
      case 'step':
        fan(from, s.targets, 'result');
        if (s.onError) edges.push({ from, to: s.onError, label: 'error' });
        break;
    }
  }
  return { edges, dynamic };
}
