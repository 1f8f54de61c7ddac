import { describe, expect, it } from 'vitest';
import { createEnvelopeCodec, ENVELOPE_VERSION, type Envelope } from './envelope.js';
import type { SnapshotBase } from './snapshot-delta.js';

const baseJson = '{"status":"active","historyValue":{},"children":{},"context":{"lang":"en","n":0}}';
const base: SnapshotBase = { snapshot: JSON.parse(baseJson), fresh: () => JSON.parse(baseJson) };
const codec = createEnvelopeCodec({ machineId: 'shop', machineVersion: '2', base });

const at = (value: string, n: number) => ({
  status: 'active',
  historyValue: {},
  children: {},
  context: { lang: 'en', n },
  value,
});

const minimal: Envelope = {
  machineId: 'shop',
  machineVersion: '2',
  transcript: '',
  lastReply: 'END Bye',
  ended: false,
  snapshot: {},
  history: [],
  page: 0,
  updatedAt: 5,
};

describe('the envelope codec', () => {
  it('is at version 3', () => {
    expect(ENVELOPE_VERSION).toBe(3);
  });

  it('writes only the fields away from their defaults', () => {
    expect(codec.encode(minimal)).toBe('{"v":3,"menu":"shop@2","transcript":"","lastReply":"END Bye","updatedAt":5}');
    expect(codec.encode({ ...minimal, earlier: [], resumeSaved: false })).toBe(
      '{"v":3,"menu":"shop@2","transcript":"","lastReply":"END Bye","updatedAt":5}',
    );
  });

  it('writes every field that is set, the snapshot as its difference from the base', () => {
    const full: Envelope = {
      ...minimal,
      transcript: '1*2',
      lastReply: 'CON Pay',
      ended: true,
      snapshot: at('pay', 3),
      history: [['home', { '/n': 0 }]],
      page: 1,
      resume: { snapshot: at('amount', 1), history: [] },
      resumeSaved: true,
      hop: 0,
      earlier: [[1, 'CON Home']],
      input: '',
      updatedAt: 9,
    };
    const raw = codec.encode(full);
    expect(raw).toBe(
      '{"v":3,"menu":"shop@2","transcript":"1*2","lastReply":"CON Pay","ended":true,"snapshot":["pay",{"/n":3}],' +
        '"history":[["home",{"/n":0}]],"page":1,"resume":{"snapshot":["amount",{"/n":1}]},"resumeSaved":true,' +
        '"hop":0,"earlier":[[1,"CON Home"]],"input":"","updatedAt":9}',
    );
    expect(codec.decode(raw)).toEqual({ kind: 'ok', envelope: full });
  });

  it('reads a minimal envelope back with its defaults', () => {
    const decoded = codec.decode('{"v":3,"menu":"shop@2","transcript":"","lastReply":"END Bye","updatedAt":5}');
    expect(decoded).toStrictEqual({ kind: 'ok', envelope: minimal });
  });

  it('keeps a resume point with its history, and an explicit resumeSaved false', () => {
    const envelope: Envelope = {
      ...minimal,
      resume: { snapshot: at('amount', 1), history: [['home', { '/n': 0 }]] },
    };
    const raw = codec.encode(envelope);
    expect(raw).toContain('"resume":{"snapshot":["amount",{"/n":1}],"history":[["home",{"/n":0}]]}');
    expect(codec.decode(raw)).toEqual({ kind: 'ok', envelope });
    const withFalse = codec.decode(
      '{"v":3,"menu":"shop@2","transcript":"","lastReply":"END Bye","resumeSaved":false,"updatedAt":5}',
    );
    expect(withFalse).toStrictEqual({ kind: 'ok', envelope: { ...minimal, resumeSaved: false } });
  });

  it('names what is wrong with what it cannot use', () => {
    expect(codec.decode(null)).toEqual({ kind: 'none' });
    expect(codec.decode('{')).toEqual({ kind: 'invalid', reason: 'not JSON' });
    expect(codec.decode('{"v":4}')).toEqual({ kind: 'invalid', reason: 'envelope version 4' });
    expect(codec.decode('[3]')).toEqual({ kind: 'invalid', reason: 'envelope version undefined' });
    expect(codec.decode('"x"')).toEqual({ kind: 'invalid', reason: 'envelope version undefined' });
    expect(codec.decode('{"v":3,"menu":"shop@1","transcript":"","lastReply":"END Bye","updatedAt":5}')).toEqual({
      kind: 'invalid',
      reason: 'saved by shop@1',
    });
    const badShape = codec.decode('{"v":3,"menu":"shop@2","transcript":7,"lastReply":"END Bye","updatedAt":5}');
    expect(badShape.kind).toBe('invalid');
    expect((badShape as { reason: string }).reason).toMatch(/string/);
    expect(
      codec.decode('{"v":3,"menu":"shop@2","transcript":"","lastReply":"","snapshot":["a",{"x":1}],"updatedAt":5}'),
    ).toEqual({ kind: 'invalid', reason: 'not a JSON pointer: x' });
    expect(codec.decode('{"v":3,"menu":"shop@2","transcript":"","lastReply":"","page":-1,"updatedAt":5}').kind).toBe(
      'invalid',
    );
    expect(codec.decode('{"v":2,"machineId":"shop"}').kind).toBe('invalid');
  });

  it('reads a version 2 envelope of another menu as invalid', () => {
    const v2 = (id: string, version: string) =>
      JSON.stringify({
        v: 2,
        machineId: id,
        machineVersion: version,
        transcript: '',
        lastReply: 'CON a',
        ended: false,
        snapshot: at('home', 0),
        history: [],
        page: 0,
        updatedAt: 1,
      });
    expect(codec.decode(v2('shop', '1'))).toEqual({ kind: 'invalid', reason: 'saved by shop@1' });
    expect(codec.decode(v2('other', '2'))).toEqual({ kind: 'invalid', reason: 'saved by other@2' });
    expect(codec.decode(v2('shop', '2'))).toEqual({
      kind: 'ok',
      envelope: {
        machineId: 'shop',
        machineVersion: '2',
        transcript: '',
        lastReply: 'CON a',
        ended: false,
        snapshot: at('home', 0),
        history: [],
        page: 0,
        updatedAt: 1,
      },
    });
  });

  it('converts version 2 earlier replies: paths to input counts, numbered hops to numbers, dropping the rest', () => {
    const v2 = (fields: Record<string, unknown>) =>
      JSON.stringify({
        v: 2,
        machineId: 'shop',
        machineVersion: '2',
        transcript: '1*2',
        lastReply: 'CON c',
        ended: false,
        snapshot: at('c', 2),
        history: [at('a', 0), at('b', 1)],
        page: 0,
        updatedAt: 1,
        ...fields,
      });
    const byPath = codec.decode(
      v2({
        earlier: [
          ['', 'CON a'],
          ['1', 'CON b'],
        ],
      }),
    );
    expect(byPath).toMatchObject({
      kind: 'ok',
      envelope: {
        earlier: [
          [0, 'CON a'],
          [1, 'CON b'],
        ],
      },
    });
    const history = (byPath as { envelope: Envelope }).envelope.history;
    expect(history).toEqual([
      ['a', { '/n': 0 }],
      ['b', { '/n': 1 }],
    ]);
    const numbered = codec.decode(
      v2({
        hop: 3,
        earlier: [
          ['#1', 'CON a'],
          ['#x', 'CON ?'],
          ['#2', 'CON b'],
        ],
      }),
    );
    expect(numbered).toMatchObject({
      kind: 'ok',
      envelope: {
        hop: 3,
        earlier: [
          [1, 'CON a'],
          [2, 'CON b'],
        ],
      },
    });
  });

  it('converts a version 2 resume point inside an envelope', () => {
    const raw = JSON.stringify({
      v: 2,
      machineId: 'shop',
      machineVersion: '2',
      transcript: '',
      lastReply: 'CON ?',
      ended: false,
      snapshot: {},
      history: [],
      page: 0,
      resume: { snapshot: at('amount', 1), history: [at('home', 0)] },
      updatedAt: 1,
    });
    expect(codec.decode(raw)).toMatchObject({
      kind: 'ok',
      envelope: { resume: { snapshot: at('amount', 1), history: [['home', { '/n': 0 }]] } },
    });
  });
});

describe('resume points', () => {
  it('are written with the menu and read back', () => {
    const point = { snapshot: at('amount', 1), history: [] };
    const raw = codec.encodeResume(point);
    expect(raw).toBe('{"v":3,"menu":"shop@2","snapshot":["amount",{"/n":1}]}');
    expect(codec.decodeResume(raw)).toEqual(point);
    const deeper = { snapshot: at('amount', 1), history: [['home', { '/n': 0 }]] as Envelope['history'] };
    expect(codec.decodeResume(codec.encodeResume(deeper))).toEqual(deeper);
  });

  it('of another menu version or malformed are dropped', () => {
    expect(codec.decodeResume('{"v":3,"menu":"shop@1","snapshot":["amount"]}')).toBeUndefined();
    expect(codec.decodeResume('{"v":3,"menu":"shop@2"}')).toBeUndefined();
    expect(codec.decodeResume('{"v":3,"menu":"shop@2","snapshot":["a",{"bad":1}]}')).toBeUndefined();
    expect(codec.decodeResume('not json')).toBeUndefined();
    expect(codec.decodeResume('{"snapshot":5}')).toBeUndefined();
  });

  it('of version 2 carried no version and are converted', () => {
    const raw = JSON.stringify({ snapshot: at('amount', 1), history: [at('home', 0)] });
    expect(codec.decodeResume(raw)).toEqual({ snapshot: at('amount', 1), history: [['home', { '/n': 0 }]] });
  });
});
