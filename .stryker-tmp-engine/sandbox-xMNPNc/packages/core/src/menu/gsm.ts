// @ts-nocheck
// GSM 03.38: the basic set costs one septet per character, the extension set two. Anything else makes the
// whole message UCS-2 (one unit per UTF-16 code unit).
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(BASIC);
const extension = new Set(EXTENSION);

export type Encoding = 'GSM-7' | 'UCS-2';

// Typographic characters translators paste in; each has a GSM-7 twin that reads the same on a handset.
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
const TYPOGRAPHIC_RE =
  /[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2013\u2014\u2212\u2026\u00b3\u00a0\u2007\u202f\t]/g;

/** Replaces typographic quotes, dashes and spaces by their GSM-7 twins, so one curly quote cannot halve a screen. */
export function normalizeScreenText(text: string): string {
  return text.replace(TYPOGRAPHIC_RE, (c) => TYPOGRAPHIC[c] ?? c).replace(/\r\n/g, '\n');
}

export function encodingOf(text: string): Encoding {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Cost of `text` in its own encoding: septets for GSM-7, UTF-16 code units for UCS-2. */
export function measureText(text: string): { encoding: Encoding; units: number } {
  let septets = 0;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extension.has(ch)) septets += 2;
    else return { encoding: 'UCS-2', units: text.length };
  }
  return { encoding: 'GSM-7', units: septets };
}
