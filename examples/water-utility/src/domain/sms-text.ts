// One SMS is 160 GSM-7 septets. A single character outside GSM-7 (a curly quote pasted by a translator, an emoji
// in a customer's description) would switch the whole message to UCS-2 and cut it to 70, so texts are normalised
// and measured here before they are queued.
const BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const EXTENSION = new Set('\f^{}\\[~]|€');

export const SMS_LIMIT = 160;

const TYPOGRAPHIC: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00b3': '3',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u202f': ' ',
  '\t': ' ',
};

/** Septets in GSM-7, or null when the text needs UCS-2. */
export function gsmLength(text: string): number | null {
  let n = 0;
  for (const ch of text) {
    if (BASIC.has(ch)) n += 1;
    else if (EXTENSION.has(ch)) n += 2;
    else return null;
  }
  return n;
}

/** Typographic characters become their GSM-7 twins; anything else outside GSM-7 is dropped; spaces collapse. */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    const mapped = TYPOGRAPHIC[ch] ?? ch;
    for (const c of mapped) if (BASIC.has(c) || EXTENSION.has(c)) out += c === '\r' || c === '\n' ? ' ' : c;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/**
 * Builds a message from a template and one flexible part (a description, a location), shortening that part
 * with `...` so the whole fits one SMS. A template that is too long by itself is cut at the limit.
 */
export function fitSms(build: (flex: string) => string, flex = '', limit = SMS_LIMIT): string {
  const clean = toGsm7(flex);
  const whole = toGsm7(build(clean));
  if ((gsmLength(whole) ?? Number.POSITIVE_INFINITY) <= limit) return whole;
  const chars = [...clean];
  for (let keep = chars.length - 1; keep >= 0; keep--) {
    const shortened = keep === 0 ? '' : `${chars.slice(0, keep).join('').trimEnd()}...`;
    const candidate = toGsm7(build(shortened));
    if ((gsmLength(candidate) ?? Number.POSITIVE_INFINITY) <= limit) return candidate;
  }
  return cutToLimit(toGsm7(build('')), limit);
}

function cutToLimit(text: string, limit: number): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    const cost = EXTENSION.has(ch) ? 2 : 1;
    if (n + cost > limit) break;
    out += ch;
    n += cost;
  }
  return out;
}
