// @ts-nocheck
import { z } from 'zod';
import { UssdError } from '../errors.js';
import type { UssdCodec } from './codec.js';
import { formFields } from './form.js';
import type { PathTurn, UssdReply } from './turn.js';

const required = (name: string, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${name} is missing` : `${name} is not text`) })
    .trim()
    .min(1, `${name} is empty`)
    .max(max, `${name} is longer than ${max} characters`);

const schema = z.object({
  sessionId: required('sessionId', 128),
  phoneNumber: required('phoneNumber', 32),
  serviceCode: required('serviceCode', 64),
  networkCode: z.string({ error: 'networkCode is not text' }).max(16, 'networkCode is too long').optional(),
  text: z.string({ error: 'text is not text' }).max(1000, 'text is longer than 1000 characters').optional(),
});

/** Africa's Talking USSD: form-encoded request with the whole path in `text`; `CON `/`END ` text reply. */
export const africasTalkingUssd: UssdCodec<PathTurn> = {
  name: 'africastalking',
  contentType: 'text/plain; charset=utf-8',

  parse(body: unknown): PathTurn {
    const parsed = schema.safeParse(formFields(body));
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => i.message).join('; ');
      throw new UssdError('INVALID_REQUEST', `invalid USSD request: ${reason}`);
    }
    const f = parsed.data;
    return {
      kind: 'path',
      provider: 'africastalking',
      sessionId: f.sessionId,
      phoneNumber: f.phoneNumber,
      serviceCode: f.serviceCode,
      networkCode: f.networkCode || undefined,
      path: f.text ?? '',
    };
  },

  format(r: UssdReply): string {
    return r.body;
  },
};
