/** What every request carries, whatever gateway it came from. */
// @ts-nocheck

interface TurnBase {
  provider: string;
  sessionId: string;
  phoneNumber: string;
  serviceCode: string;
  networkCode?: string | undefined;
  /** The gateway reports the session over (the customer left or it timed out): nothing to show. */
  release?: boolean | undefined;
  /** Request fields a codec must echo in its response (ids, the msisdn). */
  echo?: Readonly<Record<string, string>> | undefined;
}

/**
 * A request of a path gateway (Africa's Talking): the whole input path joined by `*`. The engine derives the new
 * input from it; a path that does not extend the session is a stale hop.
 */
export interface PathTurn extends TurnBase {
  kind: 'path';
  path: string;
}

/**
 * A request of a latest-input gateway (Hubtel, Arkesel, Nalo): only what was typed last. On a new session it
 * holds the deep-dial inputs joined by `*`.
 */
export interface LatestInputTurn extends TurnBase {
  kind: 'latest';
  input: string;
  /** Set by gateways that say so. `false` on a session the store no longer has opens at home. */
  isNew?: boolean | undefined;
  /** The gateway's hop counter, when it numbers requests: a number at or below the last applied is not new. */
  hop?: number | undefined;
}

/** One request of one session. */
export type UssdTurn = PathTurn | LatestInputTurn;

export interface UssdReply {
  type: 'CON' | 'END';
  /** The screen without its prefix. */
  text: string;
  /** What goes on the wire: `CON ...` or `END ...`. */
  body: string;
}

export function reply(type: 'CON' | 'END', text: string): UssdReply {
  return { type, text, body: `${type} ${text}` };
}

export function parseReply(body: string): UssdReply {
  const type = body.startsWith('END') ? 'END' : 'CON';
  return { type, text: body.slice(4), body };
}
