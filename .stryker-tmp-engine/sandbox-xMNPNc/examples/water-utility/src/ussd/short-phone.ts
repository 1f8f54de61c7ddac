/** `+254711000111` -> `0711***111`: enough for the customer to recognise, not a full number on a shared screen. */
// @ts-nocheck

export function maskedLocal(phone: string): string {
  const local = phone.startsWith('+254') ? `0${phone.slice(4)}` : phone;
  return `${local.slice(0, 4)}***${local.slice(-3)}`;
}
