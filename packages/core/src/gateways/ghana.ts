import { idField } from './json-request.js';

/**
 * `233244000111`, `+233 24 400 0111` or `00233244000111` -> `+233244000111`. Hubtel, Arkesel and Nalo serve
 * Ghana, so a local `0244000111` gets Ghana's country code. Undefined when it is not a phone number at all.
 */
export function ghanaE164(raw: string): string | undefined {
  const s = raw.replace(/[\s().-]/g, '');
  const digits = s.startsWith('+') ? s.slice(1) : s.startsWith('00') ? s.slice(2) : s;
  if (/^0\d{9}$/.test(digits)) return `+233${digits.slice(1)}`;
  return /^\d{7,15}$/.test(digits) ? `+${digits}` : undefined;
}

/** A required phone number, kept as sent (it is echoed back); convert with {@link ghanaE164}. */
export const phoneField = (name: string) =>
  // A blank value is already reported as empty.
  idField(name, 32).refine((v) => v === '' || ghanaE164(v) !== undefined, `${name} is not a phone number`);

// MCC 620 + MNC. Telecel bought Vodafone Ghana; AT is the AirtelTigo brand. Names arrive in any case. A Map, so
// a name such as `constructor` is unknown rather than a property every object inherits.
const networks: ReadonlyMap<string, string> = new Map([
  ['mtn', '62001'],
  ['vodafone', '62002'],
  ['telecel', '62002'],
  ['airteltigo', '62003'],
  ['airtel', '62003'],
  ['tigo', '62003'],
  ['at', '62003'],
  ['glo', '62007'],
]);

/**
 * A gateway's operator name as a network code, so per-network screen limits apply. A code sent as digits is
 * kept; an unknown name gives undefined (the default limit).
 */
export function ghanaNetworkCode(name: string | undefined): string | undefined {
  const s = name?.trim().toLowerCase() ?? '';
  if (/^\d{5,6}$/.test(s)) return s;
  const key = s.replace(/[^a-z]/g, '');
  return networks.get(key) ?? networks.get(key.replace(/(ghana|gh)$/, ''));
}
