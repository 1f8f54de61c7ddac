// The service log: Fastify's pino, one JSON line per event. Whatever a line carries, a full phone number, a key, a
// token or the webhook challenge never reaches it: named fields are redacted, URLs and messages are scrubbed.
import { maskPhone } from '@rolax/ussd-core';
import type { FastifyBaseLogger } from 'fastify';
import { type DestinationStream, pino } from 'pino';
import type { LogLevel } from '../config.js';

/** Fields that hold secrets, at the top level or one object down. */
const SECRET_FIELDS = ['apiKey', 'secretKey', 'token', 'opsToken', 'challenge', 'pin', 'authorization', 'password'];
/** Fields that hold a phone number; their value is masked rather than dropped, so lines stay traceable. */
const PHONE_FIELDS = ['phone', 'phoneNumber', 'to', 'from', 'msisdn', 'account_phone'];

// E.164 with or without +, URL-encoded or not, and Kenyan local numbers: 9 to 15 digits in a row.
const PHONE_IN_TEXT = /(?:\+|%2B)?\b\d{9,15}\b/gi;

export interface ServiceLogOptions {
  level: LogLevel;
  /** The callback path secret: never printed, not even as part of a URL. */
  callbackToken?: string | undefined;
  /** Where lines go (stdout by default); tests pass a recorder. */
  stream?: DestinationStream | undefined;
}

export function serviceLogger(o: ServiceLogOptions): FastifyBaseLogger {
  const scrub = (text: string) => {
    const noToken = o.callbackToken ? text.split(o.callbackToken).join('***') : text;
    return noToken.replace(PHONE_IN_TEXT, (m) => maskPhone(m));
  };
  const paths = (fields: string[]) => fields.flatMap((f) => [f, `*.${f}`]);
  return pino(
    {
      name: 'rolax-water',
      level: o.level,
      redact: {
        paths: [...paths(SECRET_FIELDS), ...paths(PHONE_FIELDS), 'req.headers.authorization'],
        censor: (value, path) =>
          PHONE_FIELDS.includes(path[path.length - 1] ?? '') && typeof value === 'string'
            ? maskPhone(value).replace(PHONE_IN_TEXT, (m) => maskPhone(m))
            : '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ method: req.method, url: scrub(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: (err: Error & { code?: unknown }) => ({
          type: err.name,
          message: scrub(err.message),
          code: err.code,
          stack: err.stack ? scrub(err.stack) : undefined,
        }),
      },
      hooks: {
        // The message text is free-form: scrub it too.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as typeof args;
          return method.apply(this, scrubbed);
        },
      },
    },
    o.stream,
  );
}
