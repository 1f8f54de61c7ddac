import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUssdApp } from '../engine/app.js';
import { isUssdError } from '../errors.js';
import { measureBody } from '../menu/budget.js';
import { createMenu } from '../menu/dsl.js';
import { silentLogger } from '../util/logger.js';
import { arkeselUssd, arkeselUssdCodec } from './arkesel.js';
import type { UssdCodec } from './codec.js';
import { dialExtras, isDialString } from './dial-string.js';
import { ghanaE164, ghanaNetworkCode } from './ghana.js';
import { hubtelUssd } from './hubtel.js';
import { naloUssd, naloUssdCodec } from './nalo.js';
import { type LatestInputTurn, reply } from './turn.js';

interface Ctx {
  where?: string;
  ref?: string;
  branch?: string;
}
type Services = { file: (where: string) => Promise<string> };

const branches = [
  'Accra Central',
  'Kumasi Adum',
  'Tema Community 1',
  'Takoradi Market Circle',
  'Cape Coast',
  'Tamale',
  'Ho',
  'Koforidua',
  'Sunyani',
  'Bolgatanga',
  'Wa',
  'Techiman',
];

const m = createMenu<Ctx, Services>();
const menu = m.define({
  id: 'gh-water',
  version: 1,
  initialContext: () => ({}),
  start: 'home',
  screens: {
    home: m.menu({
      text: 'Rolax Water',
      options: [
        { label: 'Account', next: 'account' },
        { label: 'Report leak', next: 'leak' },
      ],
    }),
    account: m.menu({
      text: 'Account',
      options: [
        { label: 'Balance', next: 'balance' },
        { label: 'Branches', next: 'branches' },
      ],
    }),
    balance: m.end({ text: 'Balance: GHS 12.50' }),
    branches: m.menu({
      text: 'Pick a branch',
      options: branches.map((b) => ({ label: b, next: 'branch', set: () => ({ branch: b }) })),
    }),
    branch: m.end({ text: (c) => `${c.branch}: open 8am-5pm` }),
    leak: m.prompt({
      text: 'Where is the leak?',
      schema: z.string().trim().min(1),
      save: (_c, where) => ({ where }),
      next: 'file',
    }),
    file: m.step({
      run: async (c, { services }) => ({ next: 'filed', set: { ref: await services.file(c.where ?? '') } }),
      targets: ['filed'],
    }),
    filed: m.end({ text: (c) => `Ref ${c.ref}: ${c.where}` }),
  },
});

function appFor(codec: UssdCodec) {
  let filed = 0;
  const app = createUssdApp({
    menu,
    codec,
    logger: silentLogger,
    services: {
      file: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        filed++;
        return `R${filed}`;
      },
    },
  });
  const post = async (body: unknown) => {
    const answer = await app.handleHttp({ body });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    return { raw: answer.body, json: JSON.parse(answer.body) as Record<string, unknown> };
  };
  return { app, post, filed: () => filed };
}

/** Asserts a parse fails with INVALID_REQUEST and exactly this message. */
function expectInvalid(codec: UssdCodec, body: unknown, message: string) {
  let caught: unknown;
  try {
    codec.parse(body);
  } catch (err) {
    caught = err;
  }
  expect(isUssdError(caught, 'INVALID_REQUEST')).toBe(true);
  expect((caught as Error).message).toBe(message);
  expect((caught as { status: number }).status).toBe(400);
}

const home = 'Rolax Water\n1. Account\n2. Report leak';
const branchesPage1 = 'Pick a branch\n1. Accra Central\n2. Kumasi Adum\n3. Tema Community 1\n4. Takoradi Market Circle';

// A turn the engine may hold without echoed fields, e.g. one built by a test harness or an older store.
const bare: LatestInputTurn = {
  kind: 'latest',
  provider: 'x',
  sessionId: 'S-9',
  phoneNumber: '+233244000111',
  serviceCode: '',
  input: '',
};

describe('shared helpers', () => {
  it('reads deep-dial extras against the base code, in any spelling', () => {
    expect(dialExtras('*714*1*2#', '*714#')).toBe('1*2');
    expect(dialExtras('*714*1*2#', '714')).toBe('1*2');
    expect(dialExtras('*714*1*2', '*714#')).toBe('1*2');
    expect(dialExtras(' *714 * 3 # ', '*714#')).toBe('3');
    expect(dialExtras('*714#', '*714#')).toBe('');
    expect(dialExtras('*714**2#', '*714#')).toBe('2');
    // Not the same code: `*7145#` merely starts with the same digits.
    expect(dialExtras('*7145*1#', '*714#')).toBe('');
    expect(dialExtras('*920*1#', '*714#')).toBe('');
    expect(dialExtras('*714*1#', undefined)).toBe('');
    expect(dialExtras('*714*1#', '')).toBe('');
    expect(isDialString('*928*01#')).toBe(true);
    expect(isDialString('1')).toBe(false);
    expect(isDialString('*hello#')).toBe(false);
    expect(isDialString('gate*3')).toBe(false);
  });

  it('writes Ghana numbers as E.164', () => {
    expect(ghanaE164('233244000111')).toBe('+233244000111');
    expect(ghanaE164('+233244000111')).toBe('+233244000111');
    expect(ghanaE164('00233244000111')).toBe('+233244000111');
    expect(ghanaE164('0244000111')).toBe('+233244000111');
    expect(ghanaE164('+233 24 400-0111')).toBe('+233244000111');
    expect(ghanaE164('phone')).toBeUndefined();
    expect(ghanaE164('233')).toBeUndefined();
  });

  it('maps operator names to network codes', () => {
    expect(ghanaNetworkCode('mtn')).toBe('62001');
    expect(ghanaNetworkCode('MTN GH')).toBe('62001');
    expect(ghanaNetworkCode('Vodafone')).toBe('62002');
    expect(ghanaNetworkCode('telecel')).toBe('62002');
    expect(ghanaNetworkCode('AirtelTigo')).toBe('62003');
    expect(ghanaNetworkCode('airtel-tigo')).toBe('62003');
    expect(ghanaNetworkCode('62001')).toBe('62001');
    expect(ghanaNetworkCode('expresso')).toBeUndefined();
    expect(ghanaNetworkCode('')).toBeUndefined();
    expect(ghanaNetworkCode(undefined)).toBeUndefined();
  });
});

describe('hubtel codec', () => {
  const request = (over: Record<string, unknown> = {}) => ({
    SessionId: 'a1b2c3',
    ServiceCode: '*714#',
    Type: 'Response',
    Message: '1',
    Operator: 'mtn',
    Mobile: '233244000111',
    ClientState: '',
    Sequence: 2,
    ...over,
  });

  it('parses an Initiation with a deep dial', () => {
    const turn = hubtelUssd.parse(request({ Type: 'Initiation', Message: '*714*1*2#', Sequence: 1 }));
    expect(turn).toStrictEqual({
      kind: 'latest',
      provider: 'hubtel',
      sessionId: 'a1b2c3',
      phoneNumber: '+233244000111',
      serviceCode: '*714#',
      networkCode: '62001',
      input: '1*2',
      isNew: true,
      hop: 1,
      release: false,
      echo: { SessionId: 'a1b2c3', ClientState: '' },
    });
    expect(hubtelUssd.parse(request({ Type: 'Initiation', Message: '*714#' })).input).toBe('');
    // A dial that does not extend the base (another code on the same account) opens at home.
    expect(hubtelUssd.parse(request({ Type: 'Initiation', Message: '*713*4#' })).input).toBe('');
  });

  it('passes the latest input as typed, with numbers and strings alike', () => {
    const turn = hubtelUssd.parse(
      request({ Message: 'Gate*3, Osu', Sequence: '3', SessionId: 998877, Mobile: 233244000111, Operator: 'x' }),
    );
    expect(turn).toMatchObject({
      sessionId: '998877',
      phoneNumber: '+233244000111',
      input: 'Gate*3, Osu',
      isNew: false,
      hop: 3,
      release: false,
      networkCode: undefined,
    });
    expect(hubtelUssd.parse(request({ Type: 'response', Message: null, Sequence: null })).input).toBe('');
    expect(hubtelUssd.parse(JSON.stringify(request())).input).toBe('1');
    expect(hubtelUssd.parse(Buffer.from(JSON.stringify(request()))).input).toBe('1');
  });

  it('reports Release and Timeout as the end of the session', () => {
    expect(hubtelUssd.parse(request({ Type: 'Release', Message: '' })).release).toBe(true);
    expect(hubtelUssd.parse(request({ Type: 'TIMEOUT' })).release).toBe(true);
  });

  it('refuses requests it cannot serve, naming the field', () => {
    const { SessionId: _s, ...noSession } = request();
    expectInvalid(hubtelUssd, noSession, 'invalid USSD request: SessionId is missing');
    expectInvalid(hubtelUssd, request({ SessionId: '  ' }), 'invalid USSD request: SessionId is empty');
    expectInvalid(hubtelUssd, request({ Mobile: null }), 'invalid USSD request: Mobile is missing');
    expectInvalid(hubtelUssd, request({ Mobile: '' }), 'invalid USSD request: Mobile is empty');
    expectInvalid(hubtelUssd, request({ Mobile: 'unknown' }), 'invalid USSD request: Mobile is not a phone number');
    expectInvalid(hubtelUssd, request({ Type: undefined }), 'invalid USSD request: Type is missing');
    expectInvalid(
      hubtelUssd,
      request({ Type: 'Continue' }),
      'invalid USSD request: Type is not one of Initiation, Response, Release, Timeout',
    );
    expectInvalid(hubtelUssd, request({ Sequence: 'two' }), 'invalid USSD request: Sequence is not a whole number');
    expectInvalid(hubtelUssd, request({ Message: { text: '1' } }), 'invalid USSD request: Message is not text');
    expectInvalid(hubtelUssd, {}, 'invalid USSD request: SessionId is missing; Mobile is missing; Type is missing');
    expectInvalid(hubtelUssd, '{"SessionId":', 'invalid USSD request: body is not JSON');
    expectInvalid(hubtelUssd, [request()], 'invalid USSD request: body is not a JSON object');
    expectInvalid(hubtelUssd, undefined, 'invalid USSD request: body is not a JSON object');
  });

  it('formats CON as Response and END as Release, echoing SessionId and ClientState', () => {
    const turn = hubtelUssd.parse(request({ ClientState: 'step-2' }));
    expect(JSON.parse(hubtelUssd.format(reply('CON', home), turn))).toStrictEqual({
      SessionId: 'a1b2c3',
      Type: 'Response',
      Message: home,
      Label: 'Rolax Water',
      ClientState: 'step-2',
      DataType: 'input',
      FieldType: 'text',
    });
    const long = `${'A very long single line that goes on. '.repeat(3)}`;
    expect(JSON.parse(hubtelUssd.format(reply('END', long), turn))).toMatchObject({
      Type: 'Release',
      Message: long,
      Label: long.slice(0, 40).trim(),
    });
    expect(JSON.parse(hubtelUssd.format(reply('END', ''), turn))).toMatchObject({
      Type: 'Release',
      Message: '',
      Label: '',
    });
  });
});

describe('hubtel codec: minimal requests, the spelling of Type, screen labels and unechoed turns', () => {
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

describe('arkesel codec', () => {
  const request = (over: Record<string, unknown> = {}) => ({
    sessionID: 'ark-1',
    userID: 'rolax',
    newSession: false,
    msisdn: '233244000111',
    userData: '1',
    network: 'MTN',
    ...over,
  });

  it('parses a new session: the dialled code is not an input', () => {
    expect(arkeselUssd.parse(request({ newSession: true, userData: '*928*01#' }))).toStrictEqual({
      kind: 'latest',
      provider: 'arkesel',
      sessionId: 'ark-1',
      phoneNumber: '+233244000111',
      serviceCode: '*928*01#',
      networkCode: '62001',
      input: '',
      isNew: true,
      echo: { sessionID: 'ark-1', userID: 'rolax', msisdn: '233244000111' },
    });
    // Something that is not a dial string on a new session is not an answer to any screen either.
    expect(arkeselUssd.parse(request({ newSession: 'true', userData: '2' })).input).toBe('');
    expect(arkeselUssd.parse(request({ newSession: 1, userData: undefined })).input).toBe('');
  });

  it('reads deep dials once it knows its service code', () => {
    const codec = arkeselUssdCodec({ serviceCode: '*928*01#' });
    expect(codec.parse(request({ newSession: true, userData: '*928*01*1*2#' }))).toMatchObject({
      serviceCode: '*928*01#',
      input: '1*2',
      isNew: true,
    });
    expect(codec.parse(request({ newSession: true, userData: '*928*01#' })).input).toBe('');
    expect(codec.parse(request({ userData: '2' })).serviceCode).toBe('*928*01#');
  });

  it('passes later inputs as typed; accepts booleans as strings', () => {
    expect(arkeselUssd.parse(request({ newSession: 'FALSE', userData: 'Gate*3, Osu' }))).toMatchObject({
      input: 'Gate*3, Osu',
      isNew: false,
      serviceCode: '',
    });
    expect(arkeselUssd.parse(request({ network: 'Vodafone' })).networkCode).toBe('62002');
    expect(arkeselUssd.parse(request({ network: 'AirtelTigo' })).networkCode).toBe('62003');
    expect(arkeselUssd.parse(request({ network: undefined })).networkCode).toBeUndefined();
  });

  it('refuses requests it cannot serve, naming the field', () => {
    expectInvalid(arkeselUssd, request({ sessionID: undefined }), 'invalid USSD request: sessionID is missing');
    expectInvalid(arkeselUssd, request({ sessionID: '' }), 'invalid USSD request: sessionID is empty');
    expectInvalid(arkeselUssd, request({ userID: null }), 'invalid USSD request: userID is missing');
    expectInvalid(arkeselUssd, request({ msisdn: undefined }), 'invalid USSD request: msisdn is missing');
    expectInvalid(arkeselUssd, request({ msisdn: ' ' }), 'invalid USSD request: msisdn is empty');
    expectInvalid(arkeselUssd, request({ newSession: undefined }), 'invalid USSD request: newSession is missing');
    expectInvalid(
      arkeselUssd,
      request({ newSession: 'yes please' }),
      'invalid USSD request: newSession is not true or false',
    );
    expectInvalid(arkeselUssd, 'nope', 'invalid USSD request: body is not JSON');
  });

  it('formats replies with continueSession', () => {
    const turn = arkeselUssd.parse(request());
    expect(JSON.parse(arkeselUssd.format(reply('CON', home), turn))).toStrictEqual({
      sessionID: 'ark-1',
      userID: 'rolax',
      msisdn: '233244000111',
      message: home,
      continueSession: true,
    });
    expect(JSON.parse(arkeselUssd.format(reply('END', 'Bye'), turn))).toMatchObject({
      message: 'Bye',
      continueSession: false,
    });
  });
});

describe('arkesel codec: the dialled code of a new session, its name and unechoed turns', () => {
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

describe('nalo codec', () => {
  const request = (over: Record<string, unknown> = {}) => ({
    USERID: 'rolax_api',
    MSISDN: '233244000111',
    USERDATA: '1',
    MSGTYPE: false,
    NETWORK: 'MTN',
    SESSIONID: '16590115252429751',
    ...over,
  });

  it('parses a new dial and later inputs', () => {
    expect(naloUssd.parse(request({ MSGTYPE: true, USERDATA: '*920*55#' }))).toStrictEqual({
      kind: 'latest',
      provider: 'nalo',
      sessionId: '16590115252429751',
      phoneNumber: '+233244000111',
      serviceCode: '*920*55#',
      networkCode: '62001',
      input: '',
      isNew: true,
      echo: { USERID: 'rolax_api', MSISDN: '233244000111' },
    });
    expect(naloUssd.parse(request({ MSGTYPE: 'false', USERDATA: 'Gate*3', SESSIONID: 42 }))).toMatchObject({
      sessionId: '42',
      input: 'Gate*3',
      isNew: false,
    });
    expect(naloUssd.parse(request({ NETWORK: 'VODAFONE' })).networkCode).toBe('62002');
    const codec = naloUssdCodec({ serviceCode: '*920*55#' });
    expect(codec.parse(request({ MSGTYPE: 'true', USERDATA: '*920*55*1*2#' })).input).toBe('1*2');
  });

  it('refuses requests it cannot serve, naming the field', () => {
    expectInvalid(naloUssd, request({ USERID: undefined }), 'invalid USSD request: USERID is missing');
    expectInvalid(naloUssd, request({ SESSIONID: undefined }), 'invalid USSD request: SESSIONID is missing');
    expectInvalid(naloUssd, request({ SESSIONID: '' }), 'invalid USSD request: SESSIONID is empty');
    expectInvalid(naloUssd, request({ MSISDN: undefined }), 'invalid USSD request: MSISDN is missing');
    expectInvalid(naloUssd, request({ MSISDN: '' }), 'invalid USSD request: MSISDN is empty');
    expectInvalid(naloUssd, request({ MSGTYPE: undefined }), 'invalid USSD request: MSGTYPE is missing');
    expectInvalid(naloUssd, request({ MSGTYPE: 'new' }), 'invalid USSD request: MSGTYPE is not true or false');
  });

  it('formats replies; MSG never exceeds 120 characters', () => {
    expect(naloUssd.screenLimit).toBe(120);
    const turn = naloUssd.parse(request());
    expect(JSON.parse(naloUssd.format(reply('CON', home), turn))).toStrictEqual({
      USERID: 'rolax_api',
      MSISDN: '233244000111',
      MSG: home,
      MSGTYPE: true,
    });
    const long = JSON.parse(naloUssd.format(reply('END', 'x'.repeat(200)), turn)) as { MSG: string; MSGTYPE: boolean };
    expect(long.MSG).toBe(`${'x'.repeat(118)}..`);
    expect(long.MSGTYPE).toBe(false);
  });
});

describe('nalo codec: the dialled code of a new session, the 120-character cut and unechoed turns', () => {
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

describe('hubtel session through the app', () => {
  const at = (over: Record<string, unknown>) => ({
    SessionId: 'hub-1',
    ServiceCode: '*714#',
    Type: 'Response',
    Operator: 'vodafone',
    Mobile: '233244000111',
    ClientState: '',
    ...over,
  });
  const screen = (Type: 'Response' | 'Release', Message: string, Label: string, SessionId = 'hub-1') => ({
    SessionId,
    Type,
    Message,
    Label,
    ClientState: '',
    DataType: 'input',
    FieldType: 'text',
  });

  it('walks a prompt with free text and an async step to the end; retries replay', async () => {
    const { app, post, filed } = appFor(hubtelUssd);
    const first = await post(at({ Type: 'Initiation', Message: '*714#', Sequence: 1 }));
    expect(first.json).toStrictEqual(screen('Response', home, 'Rolax Water'));

    const prompt = await post(at({ Message: '2', Sequence: 2 }));
    expect(prompt.json).toStrictEqual(screen('Response', 'Where is the leak?', 'Where is the leak?'));
    // The gateway retries hop 2: the same answer, and the prompt does not take "2" as the leak's place.
    expect((await post(at({ Message: '2', Sequence: 2 }))).raw).toBe(prompt.raw);

    const end = await post(at({ Message: 'Gate*3, Osu', Sequence: 3 }));
    expect(end.json).toStrictEqual(screen('Release', 'Ref R1: Gate*3, Osu', 'Ref R1: Gate*3, Osu'));
    expect(filed()).toBe(1);

    const again = await post(at({ Message: 'Gate*3, Osu', Sequence: 3 }));
    expect(again.raw).toBe(end.raw);
    expect(filed()).toBe(1);
    // A retried Initiation is a retry too.
    expect((await post(at({ Type: 'Initiation', Message: '*714#', Sequence: 1 }))).raw).toBe(end.raw);
    expect(filed()).toBe(1);
    await app.dispose();
  });

  it('retries a step hop without running the step twice, before and after it finished', async () => {
    const { post, filed } = appFor(hubtelUssd);
    await post(at({ Type: 'Initiation', Message: '*714#', Sequence: 1 }));
    await post(at({ Message: '2', Sequence: 2 }));
    const [a, b] = await Promise.all([
      post(at({ Message: 'Osu', Sequence: 3 })),
      post(at({ Message: 'Osu', Sequence: 3 })),
    ]);
    expect(a.raw).toBe(b.raw);
    expect(a.json).toStrictEqual(screen('Release', 'Ref R1: Osu', 'Ref R1: Osu'));
    expect(filed()).toBe(1);
  });

  it('echoes ClientState', async () => {
    const { post } = appFor(hubtelUssd);
    const r = await post(at({ Type: 'Initiation', Message: '*714#', Sequence: 1, ClientState: 'abc' }));
    expect(r.json.ClientState).toBe('abc');
  });

  it('acknowledges a Release mid-session and starts the session afresh afterwards', async () => {
    const { app, post, filed } = appFor(hubtelUssd);
    await post(at({ Type: 'Initiation', Message: '*714#', Sequence: 1 }));
    await post(at({ Message: '2', Sequence: 2 }));
    expect(await app.inspect('hub-1')).toBeDefined();

    const ack = await post(at({ Type: 'Release', Message: '', Sequence: 3 }));
    expect(ack.json).toStrictEqual(screen('Release', '', ''));
    expect(await app.inspect('hub-1')).toBeUndefined();
    expect(filed()).toBe(0);

    const fresh = await post(at({ Type: 'Initiation', Message: '*714#', Sequence: 1 }));
    expect(fresh.json).toStrictEqual(screen('Response', home, 'Rolax Water'));
    const next = await post(at({ Message: '1', Sequence: 2 }));
    expect(next.json).toStrictEqual(screen('Response', 'Account\n1. Balance\n2. Branches', 'Account'));
  });

  it('acknowledges a Timeout for a session it never saw', async () => {
    const { post } = appFor(hubtelUssd);
    const ack = await post(at({ SessionId: 'gone', Type: 'Timeout', Message: '', Sequence: 4 }));
    expect(ack.json).toStrictEqual(screen('Release', '', '', 'gone'));
  });

  it('lands a deep dial where its inputs lead', async () => {
    const { post } = appFor(hubtelUssd);
    const r = await post(at({ Type: 'Initiation', Message: '*714*1*2#', Sequence: 1 }));
    // 182 septets on Vodafone (no override): the twelve branches need two pages.
    expect(r.json).toStrictEqual(
      screen(
        'Response',
        `${branchesPage1}\n5. Cape Coast\n6. Tamale\n7. Ho\n8. Koforidua\n9. Sunyani\n10. Bolgatanga\n11. Wa\n98. More`,
        'Pick a branch',
      ),
    );
    const more = await post(at({ Message: '98', Sequence: 2 }));
    expect(more.json.Message).toBe('12. Techiman\n0. Back');
    const pick = await post(at({ Message: '12', Sequence: 3 }));
    expect(pick.json).toStrictEqual(screen('Release', 'Techiman: open 8am-5pm', 'Techiman: open 8am-5pm'));
  });

  it('answers 400 with the reason for a bad request', async () => {
    const { app } = appFor(hubtelUssd);
    const answer = await app.handleHttp({ body: at({ Mobile: '', Sequence: 1 }) });
    expect(answer).toStrictEqual({
      status: 400,
      contentType: 'text/plain; charset=utf-8',
      body: 'invalid USSD request: Mobile is empty',
    });
    expect((await app.handleHttp({ body: '{' })).status).toBe(400);
  });
});

describe('arkesel session through the app', () => {
  const at = (over: Record<string, unknown>) => ({
    sessionID: 'ark-9',
    userID: 'rolax',
    newSession: false,
    msisdn: '233201234567',
    userData: '',
    network: 'AirtelTigo',
    ...over,
  });
  const screen = (message: string, continueSession: boolean) => ({
    sessionID: 'ark-9',
    userID: 'rolax',
    msisdn: '233201234567',
    message,
    continueSession,
  });

  it('walks a prompt with free text and an async step to the end', async () => {
    const { post, filed, app } = appFor(arkeselUssd);
    expect((await post(at({ newSession: true, userData: '*928*01#' }))).json).toStrictEqual(screen(home, true));
    expect((await post(at({ userData: '2' }))).json).toStrictEqual(screen('Where is the leak?', true));
    expect((await post(at({ userData: 'Gate*3, Osu' }))).json).toStrictEqual(screen('Ref R1: Gate*3, Osu', false));
    expect(filed()).toBe(1);
    const saved = await app.inspect('ark-9');
    expect(saved?.envelope.ended).toBe(true);
  });

  it('replays a retried first request', async () => {
    const { post } = appFor(arkeselUssd);
    await post(at({ newSession: 'true', userData: '*928*01#' }));
    await post(at({ userData: '1' }));
    const retry = await post(at({ newSession: 'true', userData: '*928*01#' }));
    expect(retry.json).toStrictEqual(screen('Account\n1. Balance\n2. Branches', true));
  });

  it('lands a deep dial where its inputs lead when the service code is configured', async () => {
    const { post } = appFor(arkeselUssdCodec({ serviceCode: '*928*01#' }));
    const r = await post(at({ newSession: true, userData: '*928*01*1*1#' }));
    expect(r.json).toStrictEqual(screen('Balance: GHS 12.50', false));
  });
});

describe('nalo session through the app', () => {
  const at = (over: Record<string, unknown>) => ({
    USERID: 'rolax_api',
    MSISDN: '233244000111',
    USERDATA: '',
    MSGTYPE: false,
    NETWORK: 'MTN',
    SESSIONID: 'nalo-5',
    ...over,
  });
  const screen = (MSG: string, MSGTYPE: boolean) => ({
    USERID: 'rolax_api',
    MSISDN: '233244000111',
    MSG,
    MSGTYPE,
  });

  it('walks a prompt with free text and an async step to the end', async () => {
    const { post, filed } = appFor(naloUssd);
    expect((await post(at({ MSGTYPE: true, USERDATA: '*920*55#' }))).json).toStrictEqual(screen(home, true));
    expect((await post(at({ USERDATA: '2' }))).json).toStrictEqual(screen('Where is the leak?', true));
    expect((await post(at({ USERDATA: 'Gate*3, Osu' }))).json).toStrictEqual(screen('Ref R1: Gate*3, Osu', false));
    expect(filed()).toBe(1);
  });

  it('pages a long option list within 120 characters, prefix counted', async () => {
    const { post } = appFor(naloUssd);
    await post(at({ MSGTYPE: true, USERDATA: '*920*55#' }));
    await post(at({ USERDATA: '1' }));
    const pages: string[] = [];
    let r = await post(at({ USERDATA: '2' }));
    for (;;) {
      const msg = r.json.MSG as string;
      pages.push(msg);
      expect(measureBody(`CON ${msg}`, 120).fits).toBe(true);
      expect(msg.length).toBeLessThanOrEqual(120);
      if (!msg.includes('\n98. More')) break;
      r = await post(at({ USERDATA: '98' }));
    }
    expect(pages).toStrictEqual([
      `${branchesPage1}\n5. Cape Coast\n98. More`,
      '6. Tamale\n7. Ho\n8. Koforidua\n9. Sunyani\n10. Bolgatanga\n11. Wa\n12. Techiman\n0. Back',
    ]);
    // Every option is offered exactly once across the pages.
    const offered = pages.join('\n').match(/^\d+\. (?!More|Back)/gm) ?? [];
    expect(offered).toHaveLength(branches.length);
    expect((await post(at({ USERDATA: '10' }))).json).toStrictEqual(screen('Bolgatanga: open 8am-5pm', false));
  });

  it('a page is tighter than on a 182 network', async () => {
    const hub = appFor(hubtelUssd);
    const nalo = appFor(naloUssd);
    const viaHubtel = await hub.post({
      SessionId: 'h',
      ServiceCode: '*714#',
      Type: 'Initiation',
      Message: '*714*1*2#',
      Mobile: '233244000111',
      Sequence: 1,
    });
    const viaNalo = await nalo.post(at({ MSGTYPE: true, USERDATA: '*920*55#' }));
    expect(viaNalo.json.MSG).toBe(home);
    expect((viaHubtel.json.Message as string).length).toBeGreaterThan(120);
  });
});

describe('the engine with latest-input gateways', () => {
  it('a latest-input request for a session the store no longer has opens at home, not at its input', async () => {
    // After a Release (or the session's TTL), Hubtel's next Response carries only the latest input: "1" typed
    // on some forgotten screen must not select home's option 1.
    const { post } = appFor(hubtelUssd);
    const base = { SessionId: 'lost', ServiceCode: '*714#', Mobile: '233244000111', ClientState: '' };
    await post({ ...base, Type: 'Initiation', Message: '*714#', Sequence: 1 });
    await post({ ...base, Type: 'Release', Message: '', Sequence: 2 });
    const later = await post({ ...base, Type: 'Response', Message: '1', Sequence: 3 });
    expect(later.json.Message).toBe(home);
  });

  it('the build-time screen check includes the codec screen limit', () => {
    // A fixed screen that fits 182 but can never fit Nalo's 120 must fail the build, not reach phones cut short.
    const long = createMenu<object>();
    const build = () =>
      createUssdApp({
        menu: long.define({
          id: 'long',
          version: 1,
          initialContext: () => ({}),
          start: 'bye',
          screens: { bye: long.end({ text: 'Thank you for reporting. '.repeat(6).trim() }) },
        }),
        codec: naloUssd,
        logger: silentLogger,
      });
    expect(build).toThrow(/can never fit/);
  });
});
