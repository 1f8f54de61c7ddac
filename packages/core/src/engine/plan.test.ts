import { describe, expect, it } from 'vitest';
import type { LatestInputTurn, PathTurn } from '../gateways/turn.js';
import type { Envelope, LoadResult } from './envelope.js';
import { defaultTurnLimits, hopOf, hopRules, pathHop, plan, type TurnLimits } from './plan.js';

const base = { provider: 'p', sessionId: 's', phoneNumber: '+254700000000', serviceCode: '*384#' };
const pathTurn = (path: string, extra: Partial<PathTurn> = {}): PathTurn => ({ ...base, kind: 'path', path, ...extra });
const latest = (input: string, extra: Partial<LatestInputTurn> = {}): LatestInputTurn => ({
  ...base,
  kind: 'latest',
  input,
  ...extra,
});
const envelope = (fields: Partial<Envelope> = {}): Envelope => ({
  machineId: 'm',
  machineVersion: '1',
  transcript: '',
  lastReply: 'CON last',
  ended: false,
  snapshot: {},
  history: [],
  page: 0,
  updatedAt: 1000,
  ...fields,
});
const ok = (fields: Partial<Envelope> = {}): LoadResult => ({ kind: 'ok', envelope: envelope(fields) });
const none: LoadResult = { kind: 'none' };
const invalid: LoadResult = { kind: 'invalid', reason: 'bad' };
const limits: TurnLimits = { maxDeepDialInputs: 3, maxPathChars: 10 };
const at = (ms: number) => ({ at: ms, windowMs: 2000 });

describe('turn limits', () => {
  it('default to 10 deep-dial inputs and 1,000 path characters', () => {
    expect(defaultTurnLimits).toEqual({ maxDeepDialInputs: 10, maxPathChars: 1000 });
  });
});

describe('path hop numbers', () => {
  it('count the inputs of a path, the dial being 0', () => {
    expect(pathHop('')).toBe(0);
    expect(pathHop('1')).toBe(1);
    expect(pathHop('1*2')).toBe(2);
    expect(pathHop('1*2*33*4')).toBe(4);
    expect(pathHop('*')).toBe(2);
  });
});

describe('hop relation on path gateways', () => {
  it('is a retry when the path equals the transcript', () => {
    expect(hopRules.path(pathTurn('1*2'), envelope({ transcript: '1*2' }))).toBe('retry');
    expect(hopRules.path(pathTurn(''), envelope({ transcript: '' }))).toBe('retry');
  });
  it('is new when the path extends the transcript by one more input', () => {
    expect(hopRules.path(pathTurn('1*2'), envelope({ transcript: '1' }))).toBe('new');
    expect(hopRules.path(pathTurn('5'), envelope({ transcript: '' }))).toBe('new');
  });
  it('is stale when the path is shorter, different, or only shares characters without the separator', () => {
    expect(hopRules.path(pathTurn('1'), envelope({ transcript: '1*2' }))).toBe('stale');
    expect(hopRules.path(pathTurn('3*4'), envelope({ transcript: '1' }))).toBe('stale');
    expect(hopRules.path(pathTurn('12'), envelope({ transcript: '1' }))).toBe('stale');
  });
});

describe('hop relation on latest-input gateways', () => {
  it('is a retry for a re-sent opening request', () => {
    expect(hopRules.latest(latest('', { isNew: true }), envelope(), at(99_999))).toBe('retry');
  });
  it('compares numbered hops with the last applied one', () => {
    const saved = envelope({ hop: 4 });
    expect(hopRules.latest(latest('1', { hop: 4 }), saved, at(99_999))).toBe('retry');
    expect(hopRules.latest(latest('1', { hop: 3 }), saved, at(99_999))).toBe('stale');
    expect(hopRules.latest(latest('1', { hop: 5 }), saved, at(99_999))).toBe('new');
  });
  it('treats a numbered hop as new when nothing was numbered before', () => {
    expect(hopRules.latest(latest('1', { hop: 1 }), envelope({ input: '1' }), at(1000))).toBe('new');
  });
  it('treats the same input within the window, its edge included, as a retry', () => {
    const saved = envelope({ input: '7', updatedAt: 1000 });
    expect(hopRules.latest(latest('7'), saved, at(1000))).toBe('retry');
    expect(hopRules.latest(latest('7'), saved, at(3000))).toBe('retry');
    expect(hopRules.latest(latest('7'), saved, at(3001))).toBe('new');
    expect(hopRules.latest(latest('8'), saved, at(1000))).toBe('new');
  });
  it('does not count a numbered hop as a retry by its input', () => {
    const saved = envelope({ input: '7', updatedAt: 1000 });
    expect(hopRules.latest(latest('7', { hop: 2 }), saved, at(1000))).toBe('new');
  });
});

describe('the hop a stale request repeats', () => {
  it('is the gateway number on latest-input gateways', () => {
    expect(hopOf(latest('1', { hop: 6 }), '1*2')).toBe(6);
    expect(hopOf(latest('1'), '1*2')).toBeUndefined();
  });
  it('is the input count of a path the session went through', () => {
    expect(hopOf(pathTurn(''), '1*2')).toBe(0);
    expect(hopOf(pathTurn('1'), '1*2')).toBe(1);
    expect(hopOf(pathTurn('1*2'), '1*2*3')).toBe(2);
  });
  it('is unknown for a path the session never took', () => {
    expect(hopOf(pathTurn('9'), '1*2')).toBeUndefined();
    expect(hopOf(pathTurn('1'), '12*2')).toBeUndefined();
    expect(hopOf(pathTurn('1*2'), '1*2')).toBeUndefined();
  });
});

describe('planning a turn', () => {
  it('releases whatever else the request says', () => {
    expect(plan(pathTurn('1', { release: true }), ok(), limits, at(0))).toEqual({ kind: 'release' });
    expect(plan(latest('1', { release: true }), none, limits, at(0))).toEqual({ kind: 'release' });
  });

  it('caps a path longer than the limit before reading anything, and allows one at it', () => {
    expect(plan(pathTurn('1*2*3*4*56*'), ok({ transcript: '1*2*3*4*56' }), limits, at(0))).toEqual({
      kind: 'capped',
    });
    expect(plan(pathTurn('12*3*4*567'), ok({ transcript: '12*3*4' }), limits, at(0))).toEqual({
      kind: 'apply',
      envelope: envelope({ transcript: '12*3*4' }),
      input: '567',
      path: '12*3*4*567',
    });
  });

  it('replays the last reply to a retry and to anything after END', () => {
    expect(plan(pathTurn('1'), ok({ transcript: '1', lastReply: 'CON a' }), limits, at(0))).toEqual({
      kind: 'replay',
      body: 'CON a',
    });
    expect(plan(pathTurn('1*2'), ok({ transcript: '1', lastReply: 'END b', ended: true }), limits, at(0))).toEqual({
      kind: 'replay',
      body: 'END b',
    });
  });

  it('answers a stale hop with the reply it got, else the current screen', () => {
    const saved = ok({
      transcript: '1*2*3',
      lastReply: 'CON now',
      earlier: [
        [1, 'CON one'],
        [2, 'CON two'],
      ],
    });
    expect(plan(pathTurn('1*2'), saved, limits, at(0))).toEqual({ kind: 'stale', body: 'CON two' });
    expect(plan(pathTurn('1'), saved, limits, at(0))).toEqual({ kind: 'stale', body: 'CON one' });
    expect(plan(pathTurn(''), saved, limits, at(0))).toEqual({ kind: 'stale', body: 'CON now' });
    expect(plan(pathTurn('9'), saved, limits, at(0))).toEqual({ kind: 'stale', body: 'CON now' });
    const numbered = ok({ hop: 5, lastReply: 'CON five', earlier: [[3, 'CON three']] });
    expect(plan(latest('1', { hop: 3 }), numbered, limits, at(0))).toEqual({ kind: 'stale', body: 'CON three' });
    expect(plan(latest('1', { hop: 4 }), numbered, limits, at(0))).toEqual({ kind: 'stale', body: 'CON five' });
    expect(plan(latest('1', { hop: 2 }), ok({ hop: 5, lastReply: 'CON x' }), limits, at(0))).toEqual({
      kind: 'stale',
      body: 'CON x',
    });
  });

  it('applies the new input of a path, from the first screen and later', () => {
    expect(plan(pathTurn('4'), ok(), limits, at(0))).toEqual({
      kind: 'apply',
      envelope: envelope(),
      input: '4',
      path: '4',
    });
    expect(plan(pathTurn('4*55'), ok({ transcript: '4' }), limits, at(0))).toEqual({
      kind: 'apply',
      envelope: envelope({ transcript: '4' }),
      input: '55',
      path: '4*55',
    });
  });

  it('builds the path of a latest-input session from its inputs', () => {
    expect(plan(latest('4'), ok(), limits, at(0))).toEqual({
      kind: 'apply',
      envelope: envelope(),
      input: '4',
      path: '4',
    });
    expect(plan(latest('55'), ok({ transcript: '4' }), limits, at(0))).toEqual({
      kind: 'apply',
      envelope: envelope({ transcript: '4' }),
      input: '55',
      path: '4*55',
    });
  });

  it('caps a latest-input session whose path grows past the limit', () => {
    expect(plan(latest('123456'), ok({ transcript: '1234' }), limits, at(0))).toEqual({ kind: 'capped' });
    expect(plan(latest('12345'), ok({ transcript: '1234' }), limits, at(0))).toEqual({
      kind: 'apply',
      envelope: envelope({ transcript: '1234' }),
      input: '12345',
      path: '1234*12345',
    });
  });

  it('answers the resume question when one was asked', () => {
    const resume = { snapshot: { value: 'a' }, history: [] };
    expect(plan(latest('2'), ok({ resume }), limits, at(0))).toEqual({
      kind: 'resume-answer',
      envelope: envelope({ resume }),
      input: '2',
      path: '2',
    });
  });

  it('starts a new session with its deep-dial inputs and offers resume only on a plain dial', () => {
    expect(plan(pathTurn(''), none, limits, at(0))).toEqual({
      kind: 'start',
      inputs: [],
      path: '',
      restarted: false,
      offerResume: true,
    });
    expect(plan(pathTurn('1*2*3'), none, limits, at(0))).toEqual({
      kind: 'start',
      inputs: ['1', '2', '3'],
      path: '1*2*3',
      restarted: false,
      offerResume: false,
    });
    expect(plan(latest('1*2', { isNew: true }), none, limits, at(0))).toEqual({
      kind: 'start',
      inputs: ['1', '2'],
      path: '1*2',
      restarted: false,
      offerResume: false,
    });
  });

  it('caps a deep dial with more inputs than allowed, and takes one at the limit', () => {
    expect(plan(pathTurn('1*2*3*4'), none, limits, at(0))).toEqual({ kind: 'capped' });
    expect(plan(pathTurn('1*2*3*4*5'), none, limits, at(0))).toEqual({ kind: 'capped' });
    expect(plan(pathTurn('1*2*3'), none, limits, at(0))).toMatchObject({ kind: 'start', inputs: ['1', '2', '3'] });
  });

  it('caps a first latest-input request whose inputs are too long', () => {
    expect(plan(latest('12345678901'), none, limits, at(0))).toEqual({ kind: 'capped' });
  });

  it('restarts an unusable session at home, keeping the path but applying nothing', () => {
    expect(plan(pathTurn('1*2'), invalid, limits, at(0))).toEqual({
      kind: 'start',
      inputs: [],
      path: '1*2',
      restarted: true,
      offerResume: false,
    });
    expect(plan(pathTurn(''), invalid, limits, at(0))).toEqual({
      kind: 'start',
      inputs: [],
      path: '',
      restarted: true,
      offerResume: false,
    });
  });

  it('opens at home a later request of a session the store lost', () => {
    expect(plan(latest('3', { isNew: false }), none, limits, at(0))).toEqual({
      kind: 'start',
      inputs: [],
      path: '',
      restarted: false,
      offerResume: true,
    });
  });
});
