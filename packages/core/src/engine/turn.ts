/** One request of one session, whatever gateway it came from. */
export interface UssdTurn {
  provider: string;
  sessionId: string;
  phoneNumber: string;
  serviceCode: string;
  networkCode?: string | undefined;
  /** The whole input path joined by `*` (Africa's Talking `text`). The engine derives the new input from it. */
  path?: string | undefined;
  /** The latest input only, for gateways that send just that. */
  input?: string | undefined;
  /** Set by gateways that say so; for path gateways the engine infers it. */
  isNew?: boolean | undefined;
  /** The gateway's hop counter, when it numbers requests: a repeated number is a retry. */
  sequence?: number | undefined;
  /** The gateway reports the session over (the customer left or it timed out): nothing to show. */
  release?: boolean | undefined;
  /** Request fields a codec must echo in its response (ids, the msisdn). */
  echo?: Readonly<Record<string, string>> | undefined;
}

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
