import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonDelta, isJsonRecord, jsonDelta, jsonEqual } from './json-delta.js';

/** Runs per property: `PROPERTY_RUNS` overrides the count, e.g. for a quicker pass. */
const runs = (n: number) => Number(process.env.PROPERTY_RUNS) || n;

// Keys that need escaping in a JSON pointer, or that plain assignment would misread, mixed with ordinary ones.
const key = fc.oneof(
  fc.constantFrom('a', 'b', 'data', 'a/b', '~0', '~', '', '-', '__proto__', 'constructor'),
  fc.string(),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value;
/** A JSON value and a variant of it: a few leaves changed, added or removed, as screens change a context. */
const pair = fc.tuple(json, json, fc.integer()).map(([a, b, seed]) => [a, mutate(a, b, seed)] as const);

/** JSON with every object's keys sorted: equal values give equal strings whatever order keys were added in. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

function mutate(a: unknown, b: unknown, seed: number): unknown {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return seed % 3 === 0 ? a : b;
  const out: Record<string, unknown> = {};
  let i = seed;
  for (const [k, v] of Object.entries(a)) {
    i = (i * 31 + 7) >>> 0;
    if (i % 5 === 0) continue;
    Object.defineProperty(out, k, { value: i % 5 === 1 ? mutate(v, b, i) : v, enumerable: true, writable: true });
  }
  if (seed % 4 === 0) out.added = b;
  return out;
}

describe('JSON deltas', () => {
  it('rebuild the target from the source, through a JSON round trip, without touching the source', () => {
    fc.assert(
      fc.property(pair, ([from, to]) => {
        const before = JSON.stringify(from);
        const stored = JSON.parse(JSON.stringify(jsonDelta(from, to)));
        const rebuilt = applyJsonDelta(from, stored);
        expect(JSON.stringify(from)).toBe(before);
        expect(canonical(rebuilt)).toBe(canonical(to));
        expect(jsonEqual(rebuilt, to)).toBe(true);
      }),
      { numRuns: runs(500) },
    );
  });

  it('name only what changed', () => {
    const from = { data: { account: null, accounts: [{ number: '1001' }], lang: 'en' }, attempts: 0 };
    const to = { data: { account: '1001', accounts: [{ number: '1001' }], lang: 'en' }, attempts: 0 };
    expect(jsonDelta(from, to)).toEqual({ '/data/account': '1001' });
    expect(jsonDelta(from, from)).toEqual({});
    expect(jsonDelta({ a: 1, b: 2 }, { a: 1 })).toEqual({ '-/b': 1 });
    expect(jsonDelta({ a: [1, 2] }, { a: [1, 3] })).toEqual({ '/a': [1, 3] });
    expect(jsonDelta({ 'a/b': 1, '~': 1 }, { 'a/b': 2, '~': 2 })).toEqual({ '/a~1b': 2, '/~0': 2 });
    expect(jsonDelta(1, { a: 1 })).toEqual({ '': { a: 1 } });
  });

  it('compare as JSON does', () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual([1], { 0: 1 })).toBe(false);
    expect(jsonEqual(new Date(0), new Date(1))).toBe(false);
    expect(jsonEqual({ constructor: 1 }, {})).toBe(false);
  });

  it('write a __proto__ key as data, never as the prototype', () => {
    const to = JSON.parse('{"x":{"__proto__":{"polluted":true}}}');
    const rebuilt = applyJsonDelta({ x: {} }, JSON.parse(JSON.stringify(jsonDelta({ x: {} }, to)))) as any;
    expect(Object.hasOwn(rebuilt.x, '__proto__')).toBe(true);
    expect(({} as any).polluted).toBeUndefined();
    expect(rebuilt.x.polluted).toBeUndefined();
  });

  it('refuse a pointer that does not start with a slash', () => {
    expect(() => applyJsonDelta({}, { data: 1 })).toThrow(/JSON pointer/);
  });
});

describe('JSON deltas, case by case', () => {
  it('treat undefined values as absent keys', () => {
    expect(jsonDelta({ a: 1 }, { a: 1, b: undefined })).toEqual({});
    expect(jsonDelta({ a: 1, b: undefined }, { a: 1 })).toEqual({});
    expect(jsonDelta({ a: undefined }, { a: 2 })).toEqual({ '/a': 2 });
    expect(jsonDelta({ a: 2 }, { a: undefined })).toEqual({ '-/a': 1 });
  });

  it('leave out skipped top-level keys, on both sides, but not nested ones of the same name', () => {
    const skip = new Set(['value', 'context']);
    expect(jsonDelta({ value: 'a', context: 1, s: 1 }, { value: 'b', context: 2, s: 2 }, skip)).toEqual({ '/s': 2 });
    expect(jsonDelta({ value: 'a', x: {} }, { x: { value: 1 } }, skip)).toEqual({ '/x/value': 1 });
    expect(jsonDelta({ x: { value: 1 } }, { x: {} }, skip)).toEqual({ '-/x/value': 1 });
    expect(jsonDelta({ value: 'a' }, {}, skip)).toEqual({});
  });

  it('name nested additions and removals by their full pointer', () => {
    expect(jsonDelta({ a: { b: { c: 1 } } }, { a: { b: { c: 1, d: [2] } } })).toEqual({ '/a/b/d': [2] });
    expect(jsonDelta({ a: { b: { c: 1, d: 2 } } }, { a: { b: { c: 1 } } })).toEqual({ '-/a/b/d': 1 });
    expect(jsonDelta({ 'x/y': { '~z': 1 } }, { 'x/y': {} })).toEqual({ '-/x~1y/~0z': 1 });
  });

  it('replace values of another kind whole', () => {
    expect(jsonDelta({ a: { b: 1 } }, { a: [1] })).toEqual({ '/a': [1] });
    expect(jsonDelta({ a: null }, { a: { b: 1 } })).toEqual({ '/a': { b: 1 } });
    expect(jsonDelta({ a: 1 }, 5)).toEqual({ '': 5 });
    expect(jsonDelta([1, 2], [1, 2])).toEqual({});
  });

  it('are applied pointer by pointer, unescaping keys', () => {
    expect(applyJsonDelta({ a: 1 }, { '/x~1y': 2, '/~0z': 3, '/~01': 4 })).toEqual({
      a: 1,
      'x/y': 2,
      '~z': 3,
      '~1': 4,
    });
    expect(applyJsonDelta({ a: { b: 1, c: 2 } }, { '-/a/b': 1, '/a/d/e': 5 })).toEqual({ a: { c: 2, d: { e: 5 } } });
    expect(applyJsonDelta({ a: 1 }, { '': { b: 2 } })).toEqual({ b: 2 });
    expect(applyJsonDelta({ a: 1 }, { '-': 1 })).toBeUndefined();
    expect(applyJsonDelta(7, { '/a': 1 })).toEqual({ a: 1 });
    expect(applyJsonDelta({ a: 1 }, {})).toEqual({ a: 1 });
  });

  it('copy what they change and share the rest', () => {
    const base = { a: { b: 1 }, c: { d: 2 } };
    const out = applyJsonDelta(base, { '/a/b': 3, '/a/e': 4 }) as typeof base & { a: { e: number } };
    expect(out).toEqual({ a: { b: 3, e: 4 }, c: { d: 2 } });
    expect(base).toEqual({ a: { b: 1 }, c: { d: 2 } });
    expect(out.c).toBe(base.c);
    expect(out.a).not.toBe(base.a);
  });

  it('read inherited names as absent and write them as own data', () => {
    expect(jsonDelta({}, JSON.parse('{"constructor":1}'))).toEqual({ '/constructor': 1 });
    const out = applyJsonDelta({}, { '/constructor': 1, '/__proto__': { p: 1 } }) as Record<string, unknown>;
    expect(Object.hasOwn(out, 'constructor')).toBe(true);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"constructor":1,"__proto__":{"p":1}}');
    // A nested write under an inherited name starts a fresh object rather than copying Object itself.
    expect(JSON.stringify(applyJsonDelta({}, { '/constructor/x': 1 }))).toBe('{"constructor":{"x":1}}');
  });

  it('show the pointer they cannot read, cut to 40 characters', () => {
    expect(() => applyJsonDelta({}, { [`a${'b'.repeat(60)}`]: 1 })).toThrow(`not a JSON pointer: a${'b'.repeat(39)}`);
    expect(() => applyJsonDelta({}, { '-a': 1 })).toThrow('not a JSON pointer: a');
  });
});

describe('JSON equality and records', () => {
  it('compares arrays element by element', () => {
    expect(jsonEqual([1, 2], [1, 2])).toBe(true);
    expect(jsonEqual([1, 2], [1, 3])).toBe(false);
    expect(jsonEqual([1, 2], [1])).toBe(false);
    expect(jsonEqual({ 0: 1 }, [1])).toBe(false);
    expect(jsonEqual([], [])).toBe(true);
  });

  it('compares scalars and null strictly', () => {
    expect(jsonEqual(null, null)).toBe(true);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual({}, null)).toBe(false);
    expect(jsonEqual(1, '1')).toBe(false);
    expect(jsonEqual('a', 'a')).toBe(true);
  });

  it('compares class instances by what JSON writes for them', () => {
    expect(jsonEqual(new Date(5), new Date(5))).toBe(true);
    expect(jsonEqual(new Date(5), '1970-01-01T00:00:00.005Z')).toBe(false);
    expect(jsonEqual({ a: new Date(5) }, { a: new Date(5) })).toBe(true);
  });

  it('compares keys on both sides', () => {
    expect(jsonEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(jsonEqual({}, { a: undefined })).toBe(true);
    expect(jsonEqual({ a: undefined }, { a: null })).toBe(false);
    expect(jsonEqual({}, { toString: 1 })).toBe(false);
  });

  it('recognizes plain objects only', () => {
    expect(isJsonRecord({})).toBe(true);
    expect(isJsonRecord(Object.create(null))).toBe(true);
    expect(isJsonRecord([])).toBe(false);
    expect(isJsonRecord(null)).toBe(false);
    expect(isJsonRecord(new Date())).toBe(false);
    expect(isJsonRecord('x')).toBe(false);
  });
});
