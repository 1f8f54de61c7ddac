// A small round-robin HTTP balancer for the local cluster, standing in for the real one production puts in front
// of the nodes. It never sends a request twice: a request whose node fails gets a 502 and the sender decides (the
// gateways re-send webhooks; a USSD hop is the customer's or the gateway's to repeat). A node that fails is taken
// out of the rotation until its health check answers 200 again.
import { Agent, createServer, type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Upstream {
  /** Sent back in the `x-rolax-node` response header, so a client can see which node answered. */
  name: string;
  /** Base URL, e.g. `http://127.0.0.1:3001`. */
  url: string;
}

export interface UpstreamState extends Upstream {
  up: boolean;
  /** Requests this node answered (any status). */
  served: number;
  /** Requests answered 502 because this node failed. */
  failed: number;
}

export interface BalancerOptions {
  upstreams: Upstream[];
  /** 0 picks a free port. */
  port: number;
  host?: string | undefined;
  /** Probed on nodes taken out of the rotation; default `/healthz`. */
  healthPath?: string | undefined;
  /** How often a node out of the rotation is probed; default 500 ms. */
  probeIntervalMs?: number | undefined;
}

export interface Balancer {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  readonly upstreams: readonly UpstreamState[];
  close(): Promise<void>;
}

export const NODE_HEADER = 'x-rolax-node';

// Headers about one connection, not the message: they are not passed on (RFC 9110 section 7.6.1).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && !named.includes(name)) out[name] = value;
  }
  return out;
}

function forwardedFor(req: IncomingMessage): string {
  const client = req.socket.remoteAddress ?? 'unknown';
  const prior = req.headers['x-forwarded-for'];
  return prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${client}` : client;
}

export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const healthPath = options.healthPath ?? '/healthz';
  const upstreams: UpstreamState[] = options.upstreams.map((u) => ({ ...u, up: true, served: 0, failed: 0 }));
  // Keep-alive to the nodes: a new connection per request would cost more than the proxying itself.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;

  const pick = (): UpstreamState | undefined => {
    for (let i = 0; i < upstreams.length; i++) {
      const candidate = upstreams[(next + i) % upstreams.length]!;
      if (candidate.up) {
        next = (next + i + 1) % upstreams.length;
        return candidate;
      }
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    const target = pick();
    if (!target) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('no node is up');
      req.resume();
      return;
    }
    const url = new URL(target.url);
    const headers = {
      ...endToEnd(req.headers),
      'x-forwarded-for': forwardedFor(req),
      'x-forwarded-proto': 'http',
      ...(req.headers.host ? { 'x-forwarded-host': req.headers.host } : {}),
    };
    const upstream = request(
      { agent, hostname: url.hostname, port: url.port, method: req.method, path: req.url, headers },
      (answer) => {
        target.served++;
        res.writeHead(answer.statusCode ?? 502, { ...endToEnd(answer.headers), [NODE_HEADER]: target.name });
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    let clientGone = false;
    upstream.on('error', () => {
      if (clientGone) return;
      // Refused, reset or cut off mid-answer: the node is gone or going. Out of the rotation until it is healthy.
      target.up = false;
      target.failed++;
      if (!res.headersSent) {
        res
          .writeHead(502, { 'content-type': 'text/plain; charset=utf-8', [NODE_HEADER]: target.name })
          .end('node unavailable');
      } else res.destroy();
    });
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      upstream.destroy();
    });
    req.pipe(upstream);
  });

  const probe = async (u: UpstreamState) => {
    try {
      const answer = await fetch(`${u.url}${healthPath}`, { signal: AbortSignal.timeout(1000) });
      await answer.body?.cancel();
      if (answer.ok) u.up = true;
    } catch {
      // Still down.
    }
  };
  let probing = false;
  const timer = setInterval(() => {
    if (probing) return;
    probing = true;
    void Promise.all(upstreams.filter((u) => !u.up).map(probe)).finally(() => {
      probing = false;
    });
  }, options.probeIntervalMs ?? 500);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    upstreams,
    async close() {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
