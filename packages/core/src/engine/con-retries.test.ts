import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { africasTalkingUssd } from '../gateways/africastalking.js';
import { arkeselUssd } from '../gateways/arkesel.js';
import type { UssdCodec } from '../gateways/codec.js';
import { hubtelUssd } from '../gateways/hubtel.js';
import { naloUssd } from '../gateways/nalo.js';
import { createMenu } from '../menu/dsl.js';
import { silentLogger } from '../util/logger.js';
import { createUssdApp, type TurnEvent } from './app.js';

interface Ctx {
  amount?: number;
  note?: string;
}
type Services = { charge: (amount: number) => Promise<string> };
const m = createMenu<Ctx, Services>();
const menu = m.define({
  id: 'con-retries',
  version: 1,
  initialContext: () => ({}),
  start: 'home',
  screens: {
    home: m.menu({ text: 'Home', options: [{ label: 'Pay', next: 'amount' }] }),
    // A prompt that would take the retried "1" as an amount if the retry were applied again.
    amount: m.prompt({
      text: 'Enter amount',
      schema: z.coerce.number().int().positive(),
      save: (_c, amount) => ({ amount }),
      next: 'charge',
    }),
    charge: m.step({
      run: async (c, { services }) => ({ next: 'done', set: { note: await services.charge(c.amount ?? 0) } }),
      targets: ['done'],
    }),
    done: m.end({ text: (c) => `Charged ${c.note}` }),
  },
});

/** One gateway's wire: how to open a session, send the next input, and read a reply. */
interface Wire {
  codec: UssdCodec;
  open: () => unknown;
  next: (inputs: string[]) => unknown;
  read: (body: string) => { type: 'CON' | 'END'; text: string };
  /** The request a gateway re-sends after the customer answered "1" on the first screen. */
  retryOfPrompt: (inputs: string[]) => unknown;
}

const at = (text: string) => ({ sessionId: 'at-1', phoneNumber: '+254711000111', serviceCode: '*384#', text });
const hub = (over: Record<string, unknown>) => ({
  SessionId: 'hub-1',
  ServiceCode: '*714#',
  Type: 'Response',
  Operator: 'vodafone',
  Mobile: '233244000111',
  ClientState: '',
  ...over,
});
const ark = (over: Record<string, unknown>) => ({
  sessionID: 'ark-1',
  userID: 'rolax',
  newSession: false,
  msisdn: '233201234567',
  userData: '',
  network: 'MTN',
  ...over,
});
const nalo = (over: Record<string, unknown>) => ({
  USERID: 'rolax_api',
  MSISDN: '233244000111',
  USERDATA: '',
  MSGTYPE: false,
  NETWORK: 'MTN',
  SESSIONID: 'nalo-1',
  ...over,
});

const wires: [string, Wire][] = [
  [
    "Africa's Talking: the same path again",
    {
      codec: africasTalkingUssd,
      open: () => at(''),
      next: (inputs) => at(inputs.join('*')),
      retryOfPrompt: (inputs) => at(inputs.join('*')),
      read: (body) => ({ type: body.startsWith('END ') ? 'END' : 'CON', text: body.slice(4) }),
    },
  ],
  [
    'Hubtel: the same Sequence again',
    {
      codec: hubtelUssd,
      open: () => hub({ Type: 'Initiation', Message: '*714#', Sequence: 1 }),
      next: (inputs) => hub({ Message: inputs.at(-1), Sequence: inputs.length + 1 }),
      retryOfPrompt: (inputs) => hub({ Message: inputs.at(-1), Sequence: inputs.length + 1 }),
      read: (body) => {
        const j = JSON.parse(body);
        return { type: j.Type === 'Release' ? 'END' : 'CON', text: j.Message };
      },
    },
  ],
  [
    'Arkesel: the opening request again',
    {
      codec: arkeselUssd,
      open: () => ark({ newSession: true, userData: '*928*01#' }),
      next: (inputs) => ark({ userData: inputs.at(-1) }),
      retryOfPrompt: () => ark({ newSession: true, userData: '*928*01#' }),
      read: (body) => {
        const j = JSON.parse(body);
        return { type: j.continueSession ? 'CON' : 'END', text: j.message };
      },
    },
  ],
  [
    'Nalo: the opening request again',
    {
      codec: naloUssd,
      open: () => nalo({ MSGTYPE: true, USERDATA: '*920*55#' }),
      next: (inputs) => nalo({ USERDATA: inputs.at(-1) }),
      retryOfPrompt: () => nalo({ MSGTYPE: true, USERDATA: '*920*55#' }),
      read: (body) => {
        const j = JSON.parse(body);
        return { type: j.MSGTYPE ? 'CON' : 'END', text: j.MSG };
      },
    },
  ],
];

describe.each(wires)('a retried hop that opened a prompt (%s)', (_name, wire) => {
  it('replays the prompt byte for byte, changes nothing and runs no step', async () => {
    const charges: number[] = [];
    const events: TurnEvent[] = [];
    const app = createUssdApp({
      menu,
      codec: wire.codec,
      logger: silentLogger,
      services: {
        charge: async (amount) => {
          charges.push(amount);
          return String(amount);
        },
      },
      onTurn: (e) => events.push(e),
    });
    const send = async (body: unknown) => {
      const answer = await app.handleHttp({ body });
      expect(answer.status).toBe(200);
      return answer.body;
    };

    expect(wire.read(await send(wire.open()))).toEqual({ type: 'CON', text: 'Home\n1. Pay' });
    const prompt = await send(wire.next(['1']));
    expect(wire.read(prompt)).toEqual({ type: 'CON', text: 'Enter amount' });
    const sessionId = events.at(-1)!.sessionId;
    const saved = (await app.inspect(sessionId))!.envelope;

    const again = await send(wire.retryOfPrompt(['1']));
    expect(again).toBe(prompt);
    expect(events.at(-1)!.outcome).toBe('replay');
    expect(charges).toEqual([]);
    const after = (await app.inspect(sessionId))!.envelope;
    expect({ ...after, updatedAt: 0 }).toEqual({ ...saved, updatedAt: 0 });

    // The prompt still waits for its amount: the retried "1" was not taken as one.
    const end = await send(wire.next(['1', '250']));
    expect(wire.read(end)).toEqual({ type: 'END', text: 'Charged 250' });
    expect(charges).toEqual([250]);
    await app.dispose();
  });
});
