/**
 * Reads a form body that may arrive as a raw string, a Buffer or an object a framework already parsed. Forms
 * carry only text: a parsed value that is not a string (a number, an object from a JSON body) is kept as it is,
 * so the schema refuses it by name instead of coercing `{}` to `"[object Object]"` or throwing on `toString`.
 */
// @ts-nocheck

export function formFields(body: unknown): Record<string, unknown> {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (body && typeof body === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first !== undefined && first !== null) out[k] = first;
    }
    return out;
  }
  return {};
}
