import type { AnyMachineSnapshot } from 'xstate';
import { measureBody } from '../menu/budget.js';
import { normalizeScreenText } from '../menu/gsm.js';
import { type PaginateOptions, paginate } from '../menu/paginate.js';
import type { Screen, ScreenMeta } from '../menu/screen.js';

/** The `meta.ussd` of the deepest active state that has one, or undefined while the machine is still working. */
export function screenMetaOf(snapshot: AnyMachineSnapshot): ScreenMeta | undefined {
  const metas = Object.values(snapshot.getMeta() as Record<string, { ussd?: ScreenMeta } | undefined>);
  for (let i = metas.length - 1; i >= 0; i--) {
    const m = metas[i]?.ussd;
    if (m) return m;
  }
  return undefined;
}

/** A machine is settled when it waits for the customer, finished, or failed. */
export function isSettled(snapshot: AnyMachineSnapshot): boolean {
  return snapshot.status !== 'active' || screenMetaOf(snapshot) !== undefined;
}

export function screenOf(snapshot: AnyMachineSnapshot): Screen | undefined {
  const meta = screenMetaOf(snapshot);
  if (meta) return meta.render(snapshot.context);
  const output = snapshot.output as { text?: unknown } | undefined;
  if (snapshot.status === 'done' && typeof output?.text === 'string') return { text: output.text };
  return undefined;
}

export function normalizeScreen(screen: Screen): Screen {
  return {
    ...screen,
    text: normalizeScreenText(screen.text),
    options: screen.options?.map((o) => ({ key: o.key, label: normalizeScreenText(o.label) })),
  };
}

/**
 * Pages of a screen. A dynamic screen that cannot fit even paginated is cut rather than refused: an option too long
 * for any page gets a page of its own, cut with `...`, so every option stays reachable; a screen without options
 * is cut to one page. The customer still gets a usable screen, and the caller logs it.
 */
export function pagesOf(screen: Screen, o: PaginateOptions): { pages: string[]; truncated: boolean } {
  const s = normalizeScreen(screen);
  let truncated = false;
  try {
    const pages = paginate(s, { ...o, overflow: 'cut', onCut: () => (truncated = true) });
    return { pages, truncated };
  } catch {
    // Cutting never fails for a screen with options, so only a text-only screen too long for one page gets here.
    return { pages: [truncate(s.text, o.prefix, o.septetLimit)], truncated: true };
  }
}

function truncate(body: string, prefix: string, limit: number): string {
  let cut = body;
  while (cut.length > 0 && !measureBody(`${prefix}${cut}..`, limit).fits) cut = cut.slice(0, -1);
  return `${cut}..`;
}
