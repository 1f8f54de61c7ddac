import { describe, expect, it } from 'vitest';
import { arkeselUssd, arkeselUssdCodec } from './arkesel.js';
import { hubtelUssd } from './hubtel.js';
import { naloUssd, naloUssdCodec } from './nalo.js';
import { type LatestInputTurn, reply } from './turn.js';

// A turn the engine may hold without echoed fields, e.g. one built by a test harness or an older store.
const bare: LatestInputTurn = {
  kind: 'latest',
  provider: 'x',
  sessionId: 'S-9',
  phoneNumber: '+233244000111',
  serviceCode: '',
  input: '',
};

describe('hubtel codec edges', () => {
  const request = (over: Record<string, unknown> = {}) => ({
    SessionId: 'h-1',
    Mobile: '0244000111',
    Type: 'Response',
    ...over,
  });

  it('fills what a minimal request leaves out', () => {
    expect(hubtelUssd.parse(request())).toStrictEqual({
      kind: 'latest',
      provider: 'hubtel',
      sessionId: 'h-1',
      phoneNumber: '+233244000111',
      serviceCode: '',
      networkCode: undefined,
      input: '',
      isNew: false,
      hop: undefined,
      release: false,
      echo: { SessionId: 'h-1', ClientState: '' },
    });
  });

  it('reads the type in any case and spacing; only Release and Timeout end the session', () => {
    expect(hubtelUssd.parse(request({ Type: ' INITIATION ' }))).toMatchObject({ isNew: true, release: false });
    expect(hubtelUssd.parse(request({ Type: 'Response' }))).toMatchObject({ isNew: false, release: false });
    expect(hubtelUssd.parse(request({ Type: 'release' }))).toMatchObject({ isNew: false, release: true });
    expect(hubtelUssd.parse(request({ Type: 'Timeout' }))).toMatchObject({ isNew: false, release: true });
  });

  it('names a type that is null as missing and one that is not text as not a type', () => {
    expect(() => hubtelUssd.parse(request({ Type: null }))).toThrow('invalid USSD request: Type is missing');
    expect(() => hubtelUssd.parse(request({ Type: 1 }))).toThrow(
      'invalid USSD request: Type is not one of Initiation, Response, Release, Timeout',
    );
  });

  it('trims the service code, reads deep dials against it, and keeps later inputs as typed', () => {
    const first = hubtelUssd.parse(request({ Type: 'Initiation', ServiceCode: ' *714# ', Message: '*714*2#' }));
    expect(first).toMatchObject({ serviceCode: '*714#', input: '2' });
    expect(hubtelUssd.parse(request({ Type: 'Initiation', Message: '*714*2#' })).input).toBe('');
    expect(hubtelUssd.parse(request({ Message: ' *714*2# ', ServiceCode: '*714#' })).input).toBe(' *714*2# ');
  });

  it('answers with the session id and client state of the turn, or empty ones', () => {
    expect(JSON.parse(hubtelUssd.format(reply('CON', 'Pick\n1. A'), bare))).toStrictEqual({
      SessionId: 'S-9',
      Type: 'Response',
      Message: 'Pick\n1. A',
      Label: 'Pick',
      ClientState: '',
      DataType: 'input',
      FieldType: 'text',
    });
  });

  it('is named hubtel and answers JSON', () => {
    expect(hubtelUssd.name).toBe('hubtel');
    expect(hubtelUssd.contentType).toBe('application/json; charset=utf-8');
  });

  it('labels a screen by its first line, cut to 40 characters and trimmed', () => {
    const label = (text: string) =>
      (JSON.parse(hubtelUssd.format(reply('END', text), bare)) as { Label: string }).Label;
    expect(label('  Water bills  \nLine two')).toBe('Water bills');
    expect(label(`${'a'.repeat(39)} b and more`)).toBe('a'.repeat(39));
    expect(label(`${'b'.repeat(41)}\nc`)).toBe('b'.repeat(40));
    expect(label('\nSecond')).toBe('');
  });
});

describe('arkesel codec edges', () => {
  const request = (over: Record<string, unknown> = {}) => ({
    sessionID: 'a-1',
    userID: 'u',
    msisdn: '233244000111',
    newSession: true,
    ...over,
  });

  it('takes the dialled code, trimmed, as the service code of a new session only', () => {
    expect(arkeselUssd.parse(request({ userData: ' *928*01# ' }))).toMatchObject({
      serviceCode: '*928*01#',
      input: '',
      isNew: true,
    });
    expect(arkeselUssd.parse(request({ userData: 'hello' }))).toMatchObject({ serviceCode: '', input: '' });
    expect(arkeselUssd.parse(request({ newSession: false, userData: '*928*01#' }))).toMatchObject({
      serviceCode: '',
      input: '*928*01#',
      isNew: false,
    });
  });

  it('reads a later hop without userData as an empty input', () => {
    expect(arkeselUssd.parse(request({ newSession: false })).input).toBe('');
  });

  it('names every codec it builds arkesel and answers JSON', () => {
    const codec = arkeselUssdCodec({ serviceCode: '*928#' });
    expect(codec.name).toBe('arkesel');
    expect(codec.contentType).toBe('application/json; charset=utf-8');
  });

  it('keeps the configured service code and reads deep dials only on a new session', () => {
    const codec = arkeselUssdCodec({ serviceCode: '*928#' });
    expect(codec.parse(request({ userData: '*928*4#' }))).toMatchObject({ serviceCode: '*928#', input: '4' });
    expect(codec.parse(request({ newSession: false, userData: '*928*4#' })).input).toBe('*928*4#');
    expect(codec.parse(request({ userData: '4' })).input).toBe('');
  });

  it('answers with the ids of the turn, or its own when nothing was echoed', () => {
    expect(JSON.parse(arkeselUssd.format(reply('END', 'Bye'), bare))).toStrictEqual({
      sessionID: 'S-9',
      userID: '',
      msisdn: '+233244000111',
      message: 'Bye',
      continueSession: false,
    });
    expect(arkeselUssd.name).toBe('arkesel');
    expect(arkeselUssd.contentType).toBe('application/json; charset=utf-8');
    expect(arkeselUssd.screenLimit).toBeUndefined();
  });
});

describe('nalo codec edges', () => {
  const request = (over: Record<string, unknown> = {}) => ({
    USERID: 'rolax',
    MSISDN: '233244000111',
    MSGTYPE: true,
    SESSIONID: 'n-1',
    ...over,
  });

  it('takes the dialled code, trimmed, as the service code of a new session only', () => {
    expect(naloUssd.parse(request({ USERDATA: ' *920*55# ' }))).toMatchObject({
      serviceCode: '*920*55#',
      input: '',
      isNew: true,
    });
    expect(naloUssd.parse(request({ USERDATA: 'hello' }))).toMatchObject({ serviceCode: '', input: '' });
    expect(naloUssd.parse(request({}))).toMatchObject({ serviceCode: '', input: '', networkCode: undefined });
    expect(naloUssd.parse(request({ MSGTYPE: false, USERDATA: '*920*55#' }))).toMatchObject({
      serviceCode: '',
      input: '*920*55#',
      isNew: false,
    });
  });

  it('reads a later hop without USERDATA as an empty input', () => {
    expect(naloUssd.parse(request({ MSGTYPE: false })).input).toBe('');
  });

  it('names every codec it builds nalo, answering JSON within 120 characters', () => {
    const codec = naloUssdCodec({ serviceCode: '*920#' });
    expect(codec.name).toBe('nalo');
    expect(codec.contentType).toBe('application/json; charset=utf-8');
    expect(codec.screenLimit).toBe(120);
  });

  it('keeps the configured service code and reads deep dials only on a new session', () => {
    const codec = naloUssdCodec({ serviceCode: '*920*55#' });
    expect(codec.parse(request({ USERDATA: '*920*55*3#' }))).toMatchObject({ serviceCode: '*920*55#', input: '3' });
    expect(codec.parse(request({ MSGTYPE: false, USERDATA: '*920*55*3#' })).input).toBe('*920*55*3#');
  });

  it('keeps a message of exactly 120 characters and cuts one of 121', () => {
    const turn = naloUssd.parse(request({ MSGTYPE: false, USERDATA: '1' }));
    const msg = (text: string) => (JSON.parse(naloUssd.format(reply('CON', text), turn)) as { MSG: string }).MSG;
    expect(msg('m'.repeat(120))).toBe('m'.repeat(120));
    expect(msg('m'.repeat(121))).toBe(`${'m'.repeat(118)}..`);
  });

  it('answers with the ids of the turn, or its own when nothing was echoed', () => {
    expect(JSON.parse(naloUssd.format(reply('END', 'Bye'), bare))).toStrictEqual({
      USERID: '',
      MSISDN: '+233244000111',
      MSG: 'Bye',
      MSGTYPE: false,
    });
    expect(naloUssd.name).toBe('nalo');
    expect(naloUssd.contentType).toBe('application/json; charset=utf-8');
  });
});
