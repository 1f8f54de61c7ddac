// @ts-nocheck
import { randomBytes } from 'node:crypto';
import {
  type FakeReply,
  type FakeRequest,
  type FakeServerControls,
  fakeHttpServer,
  header,
  postWithRetries,
  withControls,
} from './fake-http-server.js';

export interface FakeAfricasTalkingOptions {
  /** Default `sandbox`. */
  username?: string | undefined;
  /** Default `fake-at-api-key`. */
  apiKey?: string | undefined;
  /** Sender ids and short codes the account may use; when absent any `from` is accepted. */
  allowedSenders?: string[] | undefined;
  /** When set, a `Success` delivery report is POSTed here for every accepted recipient. */
  deliveryReportUrl?: string | undefined;
  /** Network code in delivery reports. Default `63902` (Safaricom). */
  networkCode?: string | undefined;
  /** Retries of an unacknowledged delivery report. Default 2, 20 ms apart. */
  callbackRetries?: number | undefined;
  callbackRetryDelayMs?: number | undefined;
}

/** One SMS as a phone received it. */
export interface FakeSms {
  messageId: string;
  to: string;
  text: string;
  from?: string | undefined;
  at: number;
}

export interface FakeDeliveryReport {
  id: string;
  phoneNumber: string;
  status: string;
  /** What the app answered to each try. */
  answers: Array<number | 'error'>;
}

export interface FakeAfricasTalking extends FakeServerControls {
  readonly username: string;
  readonly apiKey: string;
  /** Accepted messages, one per recipient, newest first. */
  readonly sent: FakeSms[];
  /** Messages accepted for one phone number, newest first. */
  messagesTo(phone: string): FakeSms[];
  /** The next `count` messages to `phone` get a per-recipient failure (default 500 InternalServerError). */
  failRecipient(phone: string, count?: number, statusCode?: number): void;
  readonly deliveryReports: FakeDeliveryReport[];
  /** Where delivery reports go from now on; `undefined` stops them. */
  setDeliveryReportUrl(url: string | undefined): void;
  /** Forgets messages and reports (not the fault settings). */
  reset(): void;
}

const recipientStatusText: Record<number, string> = {
  101: 'Success',
  401: 'RiskHold',
  402: 'InvalidSenderId',
  403: 'InvalidPhoneNumber',
  404: 'UnsupportedNumberType',
  405: 'InsufficientBalance',
  406: 'UserInBlacklist',
  407: 'CouldNotRoute',
  409: 'DoNotDisturbRejection',
  500: 'InternalServerError',
  501: 'GatewayError',
  502: 'RejectedByGateway',
};

const e164 = /^\+[1-9]\d{8,14}$/;
const costPerSms = 0.8;

interface Recipient {
  statusCode: number;
  number: string;
  status: string;
  cost: string;
  messageId: string;
}

/**
 * Africa's Talking's SMS API over real HTTP: same path, headers, status codes and bodies, so the production
 * client runs against it unchanged.
 */
export function fakeAfricasTalking(options: FakeAfricasTalkingOptions = {}): FakeAfricasTalking {
  const username = options.username ?? 'sandbox';
  const apiKey = options.apiKey ?? 'fake-at-api-key';
  const sent: FakeSms[] = [];
  let deliveryReportUrl = options.deliveryReportUrl;
  const deliveryReports: FakeDeliveryReport[] = [];
  const recipientFaults = new Map<string, { count: number; statusCode: number }>();

  const route = (req: FakeRequest): FakeReply => {
    if (req.method !== 'POST' || req.path.split('?')[0] !== '/version1/messaging') {
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
    }
    const form = new URLSearchParams(req.body);
    if (header(req.headers, 'apiKey') !== apiKey || form.get('username') !== username) {
      return { status: 401, headers: { 'content-type': 'text/plain' }, body: 'The supplied authentication is invalid' };
    }
    if (!header(req.headers, 'content-type').startsWith('application/x-www-form-urlencoded')) {
      return { status: 415, headers: { 'content-type': 'text/plain' }, body: 'Unsupported Media Type' };
    }
    for (const field of ['to', 'message']) {
      if (!form.get(field)) {
        return {
          status: 400,
          headers: { 'content-type': 'text/plain' },
          body: `Request is missing required form field '${field}'`,
        };
      }
    }
    const from = form.get('from') || undefined;
    const json = header(req.headers, 'accept').includes('application/json');
    if (from !== undefined && options.allowedSenders && !options.allowedSenders.includes(from)) {
      return reply(json, 'InvalidSenderId', []);
    }
    const text = form.get('message') ?? '';
    const recipients = (form.get('to') ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .map((number) => recipientFor(number, text, from));
    const accepted = recipients.filter((r) => r.statusCode === 101).length;
    const total = (accepted * costPerSms).toFixed(4);
    return reply(json, `Sent to ${accepted}/${recipients.length} Total Cost: KES ${total}`, recipients);
  };

  const recipientFor = (number: string, text: string, from: string | undefined): Recipient => {
    const fault = recipientFaults.get(number);
    let statusCode = e164.test(number) ? 101 : 403;
    if (statusCode === 101 && fault && fault.count > 0) {
      fault.count--;
      statusCode = fault.statusCode;
    }
    if (statusCode !== 101) {
      return { statusCode, number, status: recipientStatusText[statusCode] ?? 'Failed', cost: '0', messageId: 'None' };
    }
    const messageId = `ATXid_${randomBytes(16).toString('hex')}`;
    sent.unshift({ messageId, to: number, text, from, at: Date.now() });
    if (deliveryReportUrl) http.background(report(deliveryReportUrl, messageId, number));
    return { statusCode, number, status: 'Success', cost: `KES ${costPerSms.toFixed(4)}`, messageId };
  };

  const report = async (url: string, id: string, phoneNumber: string) => {
    const entry: FakeDeliveryReport = { id, phoneNumber, status: 'Success', answers: [] };
    deliveryReports.unshift(entry);
    const body = new URLSearchParams({
      id,
      status: 'Success',
      phoneNumber,
      networkCode: options.networkCode ?? '63902',
      retryCount: '0',
    }).toString();
    entry.answers = await postWithRetries(
      url,
      body,
      'application/x-www-form-urlencoded',
      options.callbackRetries ?? 2,
      options.callbackRetryDelayMs ?? 20,
    );
  };

  const http = fakeHttpServer({
    name: "Africa's Talking",
    route,
    failure: (status) => ({
      status,
      headers: { 'content-type': 'text/plain' },
      body: status === 429 ? 'Too Many Requests' : 'Internal Server Error',
    }),
  });

  return withControls(http, {
    username,
    apiKey,
    get sent() {
      return sent;
    },
    messagesTo: (phone) => sent.filter((m) => m.to === phone),
    setDeliveryReportUrl(url) {
      deliveryReportUrl = url;
    },
    failRecipient(phone, count = 1, statusCode = 500) {
      recipientFaults.set(phone, { count, statusCode });
    },
    get deliveryReports() {
      return deliveryReports;
    },
    reset() {
      sent.length = 0;
      deliveryReports.length = 0;
      recipientFaults.clear();
    },
  });
}

/** AT answers XML unless the client asks for JSON; the XML here is only enough to show that it did. */
function reply(json: boolean, message: string, recipients: Recipient[]): FakeReply {
  if (json) {
    return {
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ SMSMessageData: { Message: message, Recipients: recipients } }),
    };
  }
  const items = recipients
    .map(
      (r) =>
        `<Recipient><statusCode>${r.statusCode}</statusCode><number>${r.number}</number><status>${r.status}</status>` +
        `<cost>${r.cost}</cost><messageId>${r.messageId}</messageId></Recipient>`,
    )
    .join('');
  return {
    status: 201,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><AfricasTalkingResponse><SMSMessageData><Message>${message}</Message><Recipients>${items}</Recipients></SMSMessageData></AfricasTalkingResponse>`,
  };
}
