/** `*714*1*2#` -> `714*1*2`: spaces, the leading `*` and the closing `#` do not matter when comparing codes. */
// @ts-nocheck

const bare = (code: string) => code.replace(/\s+/g, '').replace(/^\*/, '').replace(/#$/, '');

/** True for what a phone dials (`*714#`, `*714*1*2#`), as opposed to an answer typed on a screen. */
export function isDialString(value: string): boolean {
  return /^\*[\d*]+#$/.test(value.replace(/\s+/g, ''));
}

/**
 * The deep-dial inputs of a dialled string: `*714*1*2#` on base `*714#` (or `714`) -> `1*2`. A dial that does
 * not extend the base, or an unknown base, gives '' so the session opens at home rather than on a guess.
 */
export function dialExtras(dialled: string, base: string | undefined): string {
  const d = bare(dialled);
  const b = bare(base ?? '');
  if (b === '' || !d.startsWith(`${b}*`)) return '';
  // `*714**2#` has an empty segment: not an input anyone typed.
  return d
    .slice(b.length + 1)
    .split('*')
    .filter((s) => s !== '')
    .join('*');
}

/**
 * The input of a session's first request for gateways that put the dialled string where later answers go and
 * send no service code: deep-dial extras when it is a dial string, else nothing.
 */
export function openingInput(first: string, base: string | undefined): string {
  return isDialString(first) ? dialExtras(first, base) : '';
}

export interface DialOptions {
  /**
   * The code customers dial (`*928*01#`). The gateway does not send it apart from the dialled string, so without
   * it a deep dial cannot be told from a shared code's extension and the session opens at home.
   */
  serviceCode?: string | undefined;
}
