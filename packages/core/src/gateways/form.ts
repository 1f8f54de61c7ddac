/** Reads a form body that may arrive as a raw string, a Buffer or an object a framework already parsed. */
export function formFields(body: unknown): Record<string, string> {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (body && typeof body === 'object') {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first !== undefined && first !== null) out[k] = String(first);
    }
    return out;
  }
  return {};
}
