// One SMS is 160 GSM-7 septets. A single character outside GSM-7 (a curly quote pasted by a translator, an emoji
// in a customer's description) would switch the whole message to UCS-2 and cut it to 70, so texts are normalised
// and measured with the core's GSM-7 tables before they are queued.
import { encodingOf, measureText, normalizeScreenText } from '@rolax/ussd-core/budget';

export const SMS_LIMIT = 160;

/** Septets in GSM-7, or null when the text needs UCS-2. */
export function gsmLength(text: string): number | null {
  const m = measureText(text);
  return m.encoding === 'GSM-7' ? m.units : null;
}

/** Typographic characters become their GSM-7 twins; anything else outside GSM-7 is dropped; spaces collapse. */
export function toGsm7(text: string): string {
  let out = '';
  for (const c of normalizeScreenText(text)) {
    if (encodingOf(c) === 'GSM-7') out += c === '\r' || c === '\n' ? ' ' : c;
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
    const cost = measureText(ch).units;
    if (n + cost > limit) break;
    out += ch;
    n += cost;
  }
  return out;
}
