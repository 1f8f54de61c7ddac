import type { MenuDefinition } from '@rolax/ussd-core';
import { menuGraph } from '@rolax/ussd-core/menu-tools';
import type { MenuFunnel } from '@rolax/ussd-core/observe';

const zero = { reached: 0, left: 0, timedOut: 0, ended: 0 };

/** The funnel as the operations API serves it: every screen of the menu with its counts, and the menu's edges. */
export function funnelView(def: MenuDefinition<any, any>, funnel: MenuFunnel, since: string) {
  const counts = funnel.counts();
  const screens = Object.entries(def.screens).map(([screen, s]) => ({
    screen,
    type: (s as { type: string }).type,
    ...(counts.get(screen) ?? zero),
  }));
  // Screens only the engine shows (the resume offer) have counts but no definition.
  for (const [screen, c] of counts) if (!(screen in def.screens)) screens.push({ screen, type: 'engine', ...c });
  const edges = menuGraph(def).edges.map(({ from, to }) => ({ from, to }));
  return { menu: def.id, version: String(def.version), start: def.start, since, screens, edges };
}
