/** A string, or one string per language (`{ en: 'Pay bill', sw: 'Lipa bili' }`). */
// @ts-nocheck

export type Localized = string | Readonly<Record<string, string>>;

/** Screen text: fixed, localized, or computed from the menu context and the session. */
export type Text<C> = Localized | ((ctx: C, session: SessionInfo) => Localized);

export interface SessionInfo {
  sessionId: string;
  phoneNumber: string;
  serviceCode: string;
  networkCode?: string | undefined;
  provider: string;
}

export function pickLanguage(text: Localized, lang: string | undefined, fallback: string): string {
  if (typeof text === 'string') return text;
  return text[lang ?? fallback] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}

export function resolveText<C>(
  text: Text<C>,
  ctx: C,
  session: SessionInfo,
  lang: string | undefined,
  fallback: string,
): string {
  return pickLanguage(typeof text === 'function' ? text(ctx, session) : text, lang, fallback);
}
