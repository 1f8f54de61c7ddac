// @ts-nocheck
import { defaultMessages, type MenuDefinition } from './dsl.js';
import { normalizeScreenText } from './gsm.js';
import { paginate } from './paginate.js';
import type { NavigationKeys } from './screen.js';
import { type Localized, pickLanguage } from './text.js';

export interface FixedScreenProblem {
  screen: string;
  lang: string;
  network: string;
  limit: number;
  message: string;
}

const fixed = (t: unknown): t is Localized => typeof t === 'string' || (typeof t === 'object' && t !== null);

/**
 * Screens whose text and options are fixed, paginated in every language against each given limit: what cannot
 * fit even on pages. Shared by the build-time check and lint, so both judge a screen the same way.
 */
export function fixedScreenProblems(
  def: MenuDefinition<any, any>,
  keys: NavigationKeys,
  networks: readonly (readonly [string, number])[],
): FixedScreenProblem[] {
  const languages = def.languages ?? ['en'];
  const messages = { ...defaultMessages, ...def.messages };
  const problems: FixedScreenProblem[] = [];
  for (const [name, s] of Object.entries(def.screens)) {
    if (s.type === 'step' || !fixed(s.text)) continue;
    if (s.type === 'menu' && typeof s.options === 'function') continue;
    const options = s.type === 'menu' ? (s.options as Exclude<typeof s.options, (...a: any[]) => any>) : [];
    if (!options.every((o) => fixed(o.label))) continue;
    for (const lang of languages) {
      const t = (l: Localized) => normalizeScreenText(pickLanguage(l, lang, languages[0] ?? 'en'));
      for (const [network, limit] of networks) {
        try {
          paginate(
            {
              text: t(s.text),
              options: options.map((o, i) => ({ key: o.key ?? String(i + 1), label: t(o.label as Localized) })),
            },
            {
              prefix: s.type === 'end' ? 'END ' : 'CON ',
              septetLimit: limit,
              keys,
              labels: { more: t(messages.more), back: t(messages.back) },
              nav: s.type !== 'end' && s.nav !== false,
            },
          );
        } catch (err) {
          problems.push({ screen: name, lang, network, limit, message: (err as Error).message });
        }
      }
    }
  }
  return problems;
}
