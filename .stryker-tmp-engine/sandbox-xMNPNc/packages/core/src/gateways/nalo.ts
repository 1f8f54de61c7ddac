// @ts-nocheck
import type { UssdCodec } from './codec.js';
import { type DialOptions, isDialString, openingInput } from './dial-string.js';
import { ghanaE164, ghanaNetworkCode, phoneField } from './ghana.js';
import { flagField, idField, parseRequest, requestObject, textField } from './json-request.js';
import type { LatestInputTurn, UssdReply } from './turn.js';

const MSG_MAX = 120;

const schema = requestObject({
  USERID: idField('USERID'),
  MSISDN: phoneField('MSISDN'),
  USERDATA: textField('USERDATA'),
  MSGTYPE: flagField('MSGTYPE'),
  NETWORK: textField('NETWORK', 32),
  SESSIONID: idField('SESSIONID'),
});

/** Nalo (Ghana) with a known service code, so deep dials (`*920*55*2#`) land where they lead. */
export function naloUssdCodec(options: DialOptions = {}): UssdCodec<LatestInputTurn> {
  return {
    name: 'nalo',
    contentType: 'application/json; charset=utf-8',
    // Menu screens are paginated to this; the cut in `format` only guards texts the engine does not paginate.
    screenLimit: MSG_MAX,

    parse(body: unknown): LatestInputTurn {
      const f = parseRequest(schema, body);
      const data = f.USERDATA ?? '';
      const dialled = f.MSGTYPE && isDialString(data) ? data.trim() : '';
      return {
        kind: 'latest',
        provider: 'nalo',
        sessionId: f.SESSIONID,
        phoneNumber: ghanaE164(f.MSISDN) ?? f.MSISDN,
        serviceCode: options.serviceCode ?? dialled,
        networkCode: ghanaNetworkCode(f.NETWORK),
        input: f.MSGTYPE ? openingInput(data, options.serviceCode) : data,
        isNew: f.MSGTYPE,
        echo: { USERID: f.USERID, MSISDN: f.MSISDN },
      };
    },

    format(r: UssdReply, turn: LatestInputTurn): string {
      const msg = r.text.length > MSG_MAX ? `${r.text.slice(0, MSG_MAX - 2)}..` : r.text;
      return JSON.stringify({
        USERID: turn.echo?.USERID ?? '',
        MSISDN: turn.echo?.MSISDN ?? turn.phoneNumber,
        MSG: msg,
        MSGTYPE: r.type === 'CON',
      });
    },
  };
}

/**
 * Nalo (Ghana): JSON with the latest input in `USERDATA` (the dialled string when `MSGTYPE` is true), no hop
 * counter and no release notice. `MSG` holds at most 120 characters; `MSGTYPE: false` closes the session.
 */
export const naloUssd: UssdCodec<LatestInputTurn> = naloUssdCodec();
