import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonDelta, jsonDelta, jsonEqual } from './json-delta.js';

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
