import { UssdError } from '../errors.js';
import type { ScreenLimits } from '../menu/budget.js';
import type { CompiledMenu } from '../menu/compile.js';
import { fixedScreenProblems } from '../menu/fixed-screens.js';
import type { NavigationKeys } from '../menu/screen.js';

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
  const problems = fixedScreenProblems(menu.definition, keys, [['tightest', septetLimit]]).map(
    (p) => `screen "${p.screen}" (${p.lang}): ${p.message}`,
  );
  if (problems.length > 0) {
    throw new UssdError(
      'MENU_DEFINITION',
      `menu "${menu.id}" has screens that can never fit:\n- ${problems.join('\n- ')}`,
    );
  }
}
