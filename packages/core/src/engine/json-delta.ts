/**
 * The difference between two JSON values as a flat map from JSON Pointer (RFC 6901) to the new value; a pointer
 * behind a `-` removes that key, the empty pointer replaces the whole value. Plain objects are compared key by
 * key; anything else (arrays included) is replaced whole. Keys whose value is `undefined` count as absent, as in
 * JSON.
 */
export type JsonDelta = Record<string, unknown>;

/** The changes that turn `from` into `to`; `skip` leaves out top-level keys the caller stores on its own. */
export function jsonDelta(from: unknown, to: unknown, skip?: ReadonlySet<string>): JsonDelta {
  const out: JsonDelta = {};
  collect(from, to, '', out, skip);
  return out;
}

/** `base` with `delta` applied. Objects on a changed path are copied; everything else is shared with `base`. */
export function applyJsonDelta(base: unknown, delta: JsonDelta): unknown {
  let root = base;
  // Objects this call created may be written in place; `base` itself is never written.
  const fresh = new Set<object>();
  for (const [key, value] of Object.entries(delta)) {
    const remove = key.startsWith('-');
    const pointer = remove ? key.slice(1) : key;
    if (pointer === '') {
      root = remove ? undefined : value;
      continue;
    }
    if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer.slice(0, 40)}`);
    const path = pointer.slice(1).split('/').map(unescapeKey);
    root = write(root, path, 0, remove, value, fresh);
  }
  return root;
}

export function isJsonRecord(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Deep equality as JSON sees it (an `undefined` key is no key). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  // Dates and other class instances: compare what JSON would write for them.
  if (!isJsonRecord(a) || !isJsonRecord(b)) return JSON.stringify(a) === JSON.stringify(b);
  for (const k in a) if (a[k] !== undefined && !jsonEqual(a[k], own(b, k))) return false;
  for (const k in b) if (b[k] !== undefined && own(a, k) === undefined) return false;
  return true;
}

function collect(from: unknown, to: unknown, at: string, out: JsonDelta, skip?: ReadonlySet<string>): void {
  if (from === to) return;
  if (!isJsonRecord(from) || !isJsonRecord(to)) {
    if (!jsonEqual(from, to)) out[at] = to;
    return;
  }
  // Plain objects only (checked above), so `for in` sees own keys and allocates nothing.
  for (const key in to) {
    const value = to[key];
    if (value === undefined || skip?.has(key)) continue;
    const pointer = `${at}/${escapeKey(key)}`;
    const old = own(from, key);
    if (old === undefined) out[pointer] = value;
    else collect(old, value, pointer, out);
  }
  for (const key in from) {
    if (from[key] !== undefined && own(to, key) === undefined && !skip?.has(key)) out[`-${at}/${escapeKey(key)}`] = 1;
  }
}

function write(
  node: unknown,
  path: string[],
  i: number,
  remove: boolean,
  value: unknown,
  fresh: Set<object>,
): Record<string, unknown> {
  let copy: Record<string, unknown>;
  if (isJsonRecord(node) && fresh.has(node)) copy = node;
  else {
    copy = isJsonRecord(node) ? { ...node } : {};
    fresh.add(copy);
  }
  const key = path[i] as string;
  if (i === path.length - 1) {
    if (remove) delete copy[key];
    else define(copy, key, value);
  } else {
    define(copy, key, write(own(copy, key), path, i + 1, remove, value, fresh));
  }
  return copy;
}

/** A key's own value: an inherited name (`__proto__`, `constructor`) reads as absent. */
function own(o: Record<string, unknown>, key: string): unknown {
  const value = o[key];
  return value === undefined || Object.hasOwn(o, key) ? value : undefined;
}

/** Sets an own property even for `__proto__`, which plain assignment would treat as the prototype. */
function define(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

function escapeKey(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key;
}

function unescapeKey(key: string): string {
  return key.includes('~') ? key.replaceAll('~1', '/').replaceAll('~0', '~') : key;
}
