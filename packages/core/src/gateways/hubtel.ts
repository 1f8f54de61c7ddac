import { z } from 'zod';
import type { UssdCodec } from './codec.js';
import { dialExtras } from './dial-string.js';
import { ghanaE164, ghanaNetworkCode, phoneField } from './ghana.js';
import { counterField, idField, parseRequest, requestObject, textField } from './json-request.js';
import type { LatestInputTurn, UssdReply } from './turn.js';

const types = ['initiation', 'response', 'release', 'timeout'] as const;

const schema = requestObject({
  SessionId: idField('SessionId'),
  Mobile: phoneField('Mobile'),
  ServiceCode: textField('ServiceCode', 64),
  Type: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(types, {
      error: (i) =>
        i.input === undefined || i.input === null
          ? 'Type is missing'
          : 'Type is not one of Initiation, Response, Release, Timeout',
    }),
  ),
  Message: textField('Message'),
  Operator: textField('Operator', 32),
  ClientState: textField('ClientState'),
  Sequence: counterField('Sequence'),
});

/** A title for the screen: its first line, short, since Hubtel shows it apart from the message. */
const labelOf = (text: string) =>
  text
    .replace(/\n[\s\S]*/, '')
    .slice(0, 40)
    .trim();

/**
 * Hubtel (Ghana): JSON with the latest input in `Message` (the dialled string on `Initiation`), a `Sequence`
 * hop counter, and `Release`/`Timeout` when the customer is gone. JSON reply; `Release` closes the session.
 */
export const hubtelUssd: UssdCodec<LatestInputTurn> = {
  name: 'hubtel',
  contentType: 'application/json; charset=utf-8',

  parse(body: unknown): LatestInputTurn {
    const f = parseRequest(schema, body);
    const isNew = f.Type === 'initiation';
    const message = f.Message ?? '';
    return {
      kind: 'latest',
      provider: 'hubtel',
      sessionId: f.SessionId,
      phoneNumber: ghanaE164(f.Mobile) ?? f.Mobile,
      serviceCode: f.ServiceCode?.trim() ?? '',
      networkCode: ghanaNetworkCode(f.Operator),
      input: isNew ? dialExtras(message, f.ServiceCode) : message,
      isNew,
      hop: f.Sequence,
      release: f.Type === 'release' || f.Type === 'timeout',
      // Hubtel hands ClientState back on the next request only if we return it.
      echo: { SessionId: f.SessionId, ClientState: f.ClientState ?? '' },
    };
  },

  // A release request gets END '' from the engine: an empty `Release` is the acknowledgement.
  format(r: UssdReply, turn: LatestInputTurn): string {
    return JSON.stringify({
      SessionId: turn.echo?.SessionId ?? turn.sessionId,
      Type: r.type === 'END' ? 'Release' : 'Response',
      Message: r.text,
      Label: labelOf(r.text),
      ClientState: turn.echo?.ClientState ?? '',
      DataType: 'input',
      FieldType: 'text',
    });
  },
};
