import { UssdError } from '../errors.js';
import type { ScreenLimits } from '../menu/budget.js';
import type { CompiledMenu } from '../menu/compile.js';
import { normalizeScreenText } from '../menu/gsm.js';
import { paginate } from '../menu/paginate.js';
import type { NavigationKeys } from '../menu/screen.js';
import { type Localized, pickLanguage } from '../menu/text.js';

/** The tightest limit any configured network imposes. */
export function tightestLimit(limits: ScreenLimits): number {
  return Math.min(limits.default, ...Object.values(limits.byNetwork));
}

/**
 * Screens whose text and options are fixed are measured when the app is built, in every language, against the
 * tightest network: a screen that can never fit is a definition error, not a surprise on a customer's phone.
 */
export function checkStaticBudgets(
  menu: CompiledMenu,
  limits: ScreenLimits,
  keys: NavigationKeys,
  gatewayLimit = Number.POSITIVE_INFINITY,
): void {
  const septetLimit = Math.min(tightestLimit(limits), gatewayLimit);
  const problems: string[] = [];
  const isStatic = (t: unknown): t is Localized => typeof t !== 'function';
  for (const [name, screen] of Object.entries(menu.definition.screens)) {
    if (screen.type === 'step') continue;
    if (!isStatic(screen.text)) continue;
    const options = screen.type === 'menu' ? screen.options : [];
    if (typeof options === 'function' || !options.every((o) => isStatic(o.label))) continue;
    for (const lang of menu.languages) {
      const t = (l: Localized) => normalizeScreenText(pickLanguage(l, lang, menu.languages[0] ?? 'en'));
      try {
        paginate(
          {
            text: t(screen.text),
            options: options.map((o, i) => ({ key: o.key ?? String(i + 1), label: t(o.label as Localized) })),
          },
          {
            prefix: screen.type === 'end' ? 'END ' : 'CON ',
            septetLimit,
            keys,
            labels: { more: t(menu.messages.more), back: t(menu.messages.back) },
            nav: screen.type === 'end' ? false : (screen as { nav?: boolean }).nav !== false,
          },
        );
      } catch (err) {
        problems.push(`screen "${name}" (${lang}): ${(err as Error).message}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new UssdError(
      'MENU_DEFINITION',
      `menu "${menu.id}" has screens that can never fit:\n- ${problems.join('\n- ')}`,
    );
  }
}
