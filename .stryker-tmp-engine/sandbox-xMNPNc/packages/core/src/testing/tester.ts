// @ts-nocheck
import { randomUUID } from 'node:crypto';
import type { UssdApp } from '../engine/app.js';
import { parseReply, type UssdReply } from '../gateways/turn.js';

export interface TesterDefaults {
  phoneNumber?: string | undefined;
  serviceCode?: string | undefined;
  networkCode?: string | undefined;
}

type Matcher = string | RegExp;

/** A scripted customer for a menu: in-process against an app, or over HTTP against any AT-style callback. */
export interface TesterSession {
  readonly sessionId: string;
  /** Inputs so far, as the gateway would join them. */
  readonly text: string;
  readonly last: UssdReply | undefined;
  /** First hop. `deepDial` sends inputs with it, as `*384*123*2#` would. */
  dial(deepDial?: string): Promise<UssdReply>;
  input(value: string): Promise<UssdReply>;
  /** Sends the previous request again, as a gateway retry would. */
  retry(): Promise<UssdReply>;
  /** The last reply is a CON screen matching the text or pattern. */
  expectScreen(match?: Matcher): TesterSession;
  /** The last reply is an END screen matching the text or pattern. */
  expectEnd(match?: Matcher): TesterSession;
}

export function ussdTester(target: UssdApp | { url: string }, defaults: TesterDefaults = {}) {
  const send = async (form: Record<string, string>): Promise<UssdReply> => {
    if ('url' in target) {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`callback answered HTTP ${res.status}: ${body}`);
      return parseReply(body);
    }
    const answer = await target.handleHttp({ body: form });
    if (answer.status !== 200) throw new Error(`app answered HTTP ${answer.status}: ${answer.body}`);
    return parseReply(answer.body);
  };

  return {
    session(opts: TesterDefaults & { sessionId?: string | undefined } = {}): TesterSession {
      const sessionId = opts.sessionId ?? `ATUid_${randomUUID().replace(/-/g, '')}`;
      const base = {
        sessionId,
        phoneNumber: opts.phoneNumber ?? defaults.phoneNumber ?? '+254711000111',
        serviceCode: opts.serviceCode ?? defaults.serviceCode ?? '*384*123#',
        networkCode: opts.networkCode ?? defaults.networkCode ?? '63902',
      };
      let text = '';
      let last: UssdReply | undefined;
      const hop = async (t: string) => {
        text = t;
        last = await send({ ...base, text: t });
        return last;
      };
      const check = (type: 'CON' | 'END', match?: Matcher) => {
        if (!last) throw new Error('nothing was sent yet');
        const ok =
          match === undefined || (typeof match === 'string' ? last.text.includes(match) : match.test(last.text));
        if (last.type !== type || !ok) {
          throw new Error(`expected ${type}${match ? ` matching ${String(match)}` : ''}, got:\n${last.body}`);
        }
      };
      const session: TesterSession = {
        sessionId,
        get text() {
          return text;
        },
        get last() {
          return last;
        },
        dial: (deepDial = '') => hop(deepDial),
        input: (value) => {
          if (!last) throw new Error('dial first');
          if (last.type === 'END') throw new Error(`session already ended: ${last.body}`);
          return hop(text === '' ? value : `${text}*${value}`);
        },
        retry: () => hop(text),
        expectScreen(match) {
          check('CON', match);
          return session;
        },
        expectEnd(match) {
          check('END', match);
          return session;
        },
      };
      return session;
    },
  };
}
