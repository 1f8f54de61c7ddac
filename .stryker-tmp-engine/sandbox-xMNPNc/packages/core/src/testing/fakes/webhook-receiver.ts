// @ts-nocheck
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { loopback } from './loopback.js';

export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as a provider sent it. */
  body: string;
  /** What the handler answered. */
  status: number;
}

export type CallbackHandler = (callback: {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}) => number | Promise<number>;

export interface WebhookReceiver {
  readonly url: string;
  start(): Promise<string>;
  close(): Promise<void>;
  /** Every callback, newest first. */
  readonly received: ReceivedCallback[];
}

/**
 * A stand-in for the app's callback endpoint: records each POST and answers with the handler's status (200 by
 * default; a thrown error answers with its `status`, or 500), so tests can see providers retry.
 */
export function webhookReceiver(handler: CallbackHandler = () => 200): WebhookReceiver {
  const received: ReceivedCallback[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      void (async () => {
        let status: number;
        try {
          status = await handler({ path, headers: req.headers, body });
        } catch (err) {
          const s = (err as { status?: unknown }).status;
          status = typeof s === 'number' ? s : 500;
        }
        received.unshift({ path, headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(String(status));
      })();
    });
  });

  const listener = loopback(server, 'webhook receiver');

  return {
    get url() {
      return listener.url;
    },
    start: () => listener.start(),
    close: () => listener.close(),
    get received() {
      return received;
    },
  };
}
