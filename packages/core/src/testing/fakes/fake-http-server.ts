import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request } from 'undici';
import { loopback } from './loopback.js';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
}

export interface FakeRequestLog {
  method: string;
  path: string;
  /**
   * The status answered; `open` while the fake is still working on it (e.g. during a `delay`), `dropped` when
   * the client had gone before the answer (it timed out).
   */
  status: number | 'open' | 'dropped';
  at: number;
  /** The raw request body as it arrived ('' until read): what the client put on the wire. */
  body: string;
}

/** Controls every fake provider shares. */
export interface FakeServerControls {
  /** Base URL such as `http://127.0.0.1:54321`; available after `start()`. */
  readonly url: string;
  /** Listens on 127.0.0.1 on a free port and resolves with the base URL. */
  start(): Promise<string>;
  close(): Promise<void>;
  /**
   * The next `count` requests fail as a whole with `status` before the fake looks at them, so nothing is
   * recorded. `Infinity` keeps failing until `recover()`.
   */
  failNext(count: number, status?: number): void;
  /** Answers every request `ms` late, after doing the work (as a slow provider does), until `delay(0)`. */
  delay(ms: number): void;
  /** Clears `failNext` and `delay`. */
  recover(): void;
  /** Every request, newest first. */
  readonly requests: FakeRequestLog[];
  /** Resolves once background work (webhooks, delivery reports) has finished. */
  settled(): Promise<void>;
}

export interface FakeHttpServer extends FakeServerControls {
  /** Tracks work that outlives a request, for `settled()`. */
  background(task: Promise<unknown>): void;
}

/** A fake's own surface with the shared server controls added, getters (`url`, `requests`) kept live. */
export function withControls<R extends FakeServerControls>(
  http: FakeHttpServer,
  own: Omit<R, keyof FakeServerControls>,
): R {
  const controls: FakeServerControls = {
    get url() {
      return http.url;
    },
    start: http.start,
    close: http.close,
    failNext: http.failNext,
    delay: http.delay,
    recover: http.recover,
    settled: http.settled,
    get requests() {
      return http.requests;
    },
  };
  return Object.defineProperties(own, Object.getOwnPropertyDescriptors(controls)) as R;
}

export function fakeHttpServer(options: {
  name: string;
  route: (req: FakeRequest) => FakeReply | Promise<FakeReply>;
  failure: (status: number) => FakeReply;
}): FakeHttpServer {
  const requests: FakeRequestLog[] = [];
  const tasks = new Set<Promise<unknown>>();
  let failures = 0;
  let failureStatus = 500;
  let delayMs = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const entry: FakeRequestLog = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        status: 'open',
        at: Date.now(),
        body: '',
      };
      requests.unshift(entry);
      const body = await readBody(req);
      entry.body = body;
      let reply: FakeReply;
      if (failures > 0) {
        failures--;
        reply = options.failure(failureStatus);
      } else {
        try {
          reply = await options.route({
            method: req.method ?? 'GET',
            path: req.url ?? '/',
            headers: req.headers,
            body,
          });
        } catch (err) {
          reply = { status: 500, body: `${options.name} fake crashed: ${(err as Error).message}` };
        }
      }
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const dropped = res.destroyed || req.socket.destroyed;
      entry.status = dropped ? 'dropped' : reply.status;
      if (dropped) return;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body ?? '');
    })().catch(() => res.destroy());
  });

  const listener = loopback(server, `${options.name} fake`);

  return {
    get url() {
      return listener.url;
    },
    start: () => listener.start(),
    close: () => listener.close(),
    failNext(count, status = 500) {
      failures = count;
      failureStatus = status;
    },
    delay(ms) {
      delayMs = ms;
    },
    recover() {
      failures = 0;
      delayMs = 0;
    },
    get requests() {
      return requests;
    },
    async settled() {
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
    background(task) {
      const tracked = task.catch(() => undefined).finally(() => tasks.delete(tracked));
      tasks.add(tracked);
    },
  };
}

/**
 * POSTs to an app's callback URL and retries on a non-2xx answer or a network error, as providers do.
 * Returns every status seen, in order (`error` for a network failure).
 */
export async function postWithRetries(
  url: string,
  body: string,
  contentType: string,
  retries: number,
  retryDelayMs: number,
  onAttempt?: (status: number | 'error', attempt: number) => void,
): Promise<Array<number | 'error'>> {
  const seen: Array<number | 'error'> = [];
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, retryDelayMs));
    let status: number | 'error';
    try {
      const res = await request(url, { method: 'POST', headers: { 'content-type': contentType }, body });
      await res.body.dump();
      status = res.statusCode;
    } catch {
      status = 'error';
    }
    seen.push(status);
    onAttempt?.(status, attempt);
    if (typeof status === 'number' && status >= 200 && status < 300) break;
  }
  return seen;
}

export function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
