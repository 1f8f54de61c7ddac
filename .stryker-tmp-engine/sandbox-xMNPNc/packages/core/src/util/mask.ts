/** `+254711000111` -> `+254711***111`: enough to correlate log lines, not enough to call anyone. */
// @ts-nocheck

export function maskPhone(phone: string | undefined | null): string {
  if (!phone) return '';
  const p = String(phone);
  if (p.length <= 6) return '*'.repeat(p.length);
  const keepStart = Math.min(7, p.length - 6);
  return p.slice(0, keepStart) + '***' + p.slice(-3);
}

/** Masks a secret down to a short prefix, so a log shows which key was used but never the key. */
export function maskSecret(secret: string | undefined | null): string {
  if (!secret) return '';
  return secret.length <= 8 ? '***' : `${secret.slice(0, 4)}***`;
}
