// @ts-nocheck
import type { UssdCodec } from './codec.js';
import { type DialOptions, isDialString, openingInput } from './dial-string.js';
import { ghanaE164, ghanaNetworkCode, phoneField } from './ghana.js';
import { flagField, idField, parseRequest, requestObject, textField } from './json-request.js';
import type { LatestInputTurn, UssdReply } from './turn.js';

const schema = requestObject({
  sessionID: idField('sessionID'),
  userID: idField('userID'),
  msisdn: phoneField('msisdn'),
  newSession: flagField('newSession'),
  userData: textField('userData'),
  network: textField('network', 32),
});

/** Arkesel (Ghana) with a known service code, so deep dials (`*928*01*2#`) land where they lead. */
export function arkeselUssdCodec(options: DialOptions = {}): UssdCodec<LatestInputTurn> {
  return {
    name: 'arkesel',
    contentType: 'application/json; charset=utf-8',

    parse(body: unknown): LatestInputTurn {
      const f = parseRequest(schema, body);
      const data = f.userData ?? '';
      const dialled = f.newSession && isDialString(data) ? data.trim() : '';
      return {
        kind: 'latest',
        provider: 'arkesel',
        sessionId: f.sessionID,
        phoneNumber: ghanaE164(f.msisdn) ?? f.msisdn,
        serviceCode: options.serviceCode ?? dialled,
        networkCode: ghanaNetworkCode(f.network),
        input: f.newSession ? openingInput(data, options.serviceCode) : data,
        isNew: f.newSession,
        echo: { sessionID: f.sessionID, userID: f.userID, msisdn: f.msisdn },
      };
    },

    format(r: UssdReply, turn: LatestInputTurn): string {
      const echo = turn.echo ?? {};
      return JSON.stringify({
        sessionID: echo.sessionID ?? turn.sessionId,
        userID: echo.userID ?? '',
        msisdn: echo.msisdn ?? turn.phoneNumber,
        message: r.text,
        continueSession: r.type === 'CON',
      });
    },
  };
}

/**
 * Arkesel (Ghana): JSON with the latest input in `userData` (the dialled string when `newSession`), no hop
 * counter and no release notice. JSON reply; `continueSession: false` closes the session.
 */
export const arkeselUssd: UssdCodec<LatestInputTurn> = arkeselUssdCodec();
