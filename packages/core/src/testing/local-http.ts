// Test support shared by the provider client tests, for what the full fakes cannot do: odd answers and real hosts.
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { Agent } from 'undici';
import { loopback } from './fakes/loopback.js';

/** Opens every connection to `port` on this machine while recording which host the client meant to reach. */
export function redirectTo(port: number) {
  const targets: string[] = [];
  const dispatcher = new Agent({
    connect: (opts, callback) => {
      targets.push(`${opts.protocol}//${opts.hostname}`);
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (err) => callback(err, null));
    },
  });
  return { targets, dispatcher };
}

/** One answer of a scripted endpoint (JSON unless its headers say otherwise), or a dropped connection. */
export type Scripted = { status: number; headers?: OutgoingHttpHeaders; body?: string } | 'hang up';

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A local endpoint that answers from a script, one entry per request (the last one repeats), for answers a
 * provider's full fake never gives: other statuses, odd bodies, Retry-After, a dropped connection.
 */
export function scriptedServer(name: string, ...script: Scripted[]) {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      const step = script[Math.min(seen.length - 1, script.length - 1)];
      if (!step || step === 'hang up') {
        req.socket.destroy();
        return;
      }
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(step.body ?? '');
    });
  });
  const listener = loopback(server, name);
  return { seen, start: () => listener.start(), close: () => listener.close() };
}
