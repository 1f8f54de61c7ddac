import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUssdError, UssdError } from '../errors.js';
import { loopback } from '../testing/fakes/loopback.js';
import { excerpt, httpFailure, postOnce } from './http.js';

type ReplyHeaders = Record<string, string | string[]>;

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local server that answers every request with the reply set for it and records what arrived. */
function replyingServer() {
  const seen: Seen[] = [];
  let reply: { status: number; headers: ReplyHeaders; body: string; delayMs: number } = {
    status: 200,
    headers: {},
    body: '',
    delayMs: 0,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = () => {
        if (res.destroyed) return;
        for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
        res.writeHead(reply.status);
        res.end(reply.body);
      };
      if (reply.delayMs > 0) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  const listener = loopback(server, 'http test server');
  return {
    seen,
    start: () => listener.start(),
    close: () => listener.close(),
    answer(status: number, headers: ReplyHeaders = {}, body = '', delayMs = 0) {
      reply = { status, headers, body, delayMs };
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<UssdError> {
  try {
    await promise;
  } catch (err) {
    if (isUssdError(err)) return err;
    throw err;
  }
  throw new Error('expected a UssdError');
}

describe('postOnce against a local server', () => {
  let server: ReturnType<typeof replyingServer>;
  let url: string;
  beforeEach(async () => {
    server = replyingServer();
    url = `${await server.start()}/api/send`;
  });
  afterEach(() => server.close());

  const call = (overrides: Partial<Parameters<typeof postOnce>[1]> = {}) =>
    postOnce('Acme', { url, headers: { 'X-Key': 'k1' }, body: 'a=1&b=2', timeoutMs: 2_000, ...overrides });

  it('POSTs the body and headers and returns status, content type and text', async () => {
    server.answer(201, { 'content-type': 'application/json; charset=utf-8' }, '{"ok":true}');
    const reply = await call();
    expect(reply).toEqual({
      status: 201,
      contentType: 'application/json; charset=utf-8',
      text: '{"ok":true}',
      retryAfterMs: undefined,
    });
    expect(server.seen).toEqual([
      { method: 'POST', path: '/api/send', headers: expect.objectContaining({ 'x-key': 'k1' }), body: 'a=1&b=2' },
    ]);
  });

  it('returns an empty content type when the server sends none', async () => {
    server.answer(204);
    expect(await call()).toEqual({ status: 204, contentType: '', text: '', retryAfterMs: undefined });
  });

  it.each([
    ['120', 120_000],
    ['1', 1_000],
    ['0', 0],
  ])('reads Retry-After: %s as %i ms', async (value, ms) => {
    server.answer(429, { 'retry-after': value }, 'Too Many Requests');
    const reply = await call();
    expect(reply.status).toBe(429);
    expect(reply.retryAfterMs).toBe(ms);
  });

  it('reads the first of repeated Retry-After headers', async () => {
    server.answer(429, { 'retry-after': ['5', '7'] }, 'Too Many Requests');
    expect((await call()).retryAfterMs).toBe(5_000);
  });

  it.each(['Wed, 21 Oct 2026 07:28:00 GMT', '12s', 'x12', '1.5', '-3', ''])(
    'ignores a Retry-After it cannot read as seconds: %j',
    async (value) => {
      server.answer(503, { 'retry-after': value }, 'busy');
      expect((await call()).retryAfterMs).toBeUndefined();
    },
  );

  it('gives up after the deadline with failure "timeout" and says how long it waited', async () => {
    server.answer(200, {}, 'late', 1_000);
    const err = await failure(call({ timeoutMs: 40 }));
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.message).toBe('Acme: no answer within 40 ms');
    expect(err.details).toEqual({ provider: 'Acme', failure: 'timeout' });
    expect(httpFailure(err)).toBe('timeout');
  });

  it('reports the caller\'s abort as failure "aborted" with the caller\'s reason as cause', async () => {
    server.answer(200, {}, 'late', 1_000);
    const controller = new AbortController();
    const reason = new Error('session ended');
    setTimeout(() => controller.abort(reason), 20);
    const err = await failure(call({ signal: controller.signal }));
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.message).toBe('Acme: request aborted by the caller');
    expect(err.details).toEqual({ provider: 'Acme', failure: 'aborted' });
    expect(err.cause).toBe(reason);
  });

  it('does not send at all for a signal that has already aborted', async () => {
    const err = await failure(call({ signal: AbortSignal.abort(new Error('gone')) }));
    expect(httpFailure(err)).toBe('aborted');
    expect(server.seen).toHaveLength(0);
  });

  it('still answers within the deadline when the caller passes a signal that never aborts', async () => {
    server.answer(200, {}, 'late', 1_000);
    const err = await failure(call({ signal: new AbortController().signal, timeoutMs: 40 }));
    expect(httpFailure(err)).toBe('timeout');
  });

  it('reports a refused connection as failure "network" naming the error code', async () => {
    await server.close();
    const err = await failure(call());
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.message).toBe('Acme: could not be reached (ECONNREFUSED)');
    expect(err.details).toEqual({ provider: 'Acme', failure: 'network' });
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('reports an invalid URL as a network failure with its message', async () => {
    const err = await failure(call({ url: 'not a url' }));
    expect(httpFailure(err)).toBe('network');
    expect(err.message).toMatch(/^Acme: could not be reached \(.+\)$/);
  });
});

describe('httpFailure', () => {
  it.each(['network', 'timeout', 'aborted'] as const)('reads %s from an error', (kind) => {
    expect(httpFailure(new UssdError('PROVIDER_UNAVAILABLE', 'x', { details: { failure: kind } }))).toBe(kind);
  });

  it('answers undefined for other errors and other failure words', () => {
    expect(httpFailure(new UssdError('PROVIDER_UNAVAILABLE', 'x', { details: { failure: 'dns' } }))).toBeUndefined();
    expect(httpFailure(new UssdError('PROVIDER_UNAVAILABLE', 'x', { details: { status: 503 } }))).toBeUndefined();
    expect(httpFailure(new Error('plain'))).toBeUndefined();
  });
});

describe('excerpt', () => {
  it('flattens whitespace runs to single spaces and trims', () => {
    expect(excerpt('  <html>\n\t<body>  Bad   Gateway </body>\r\n</html>  ')).toBe(
      '<html> <body> Bad Gateway </body> </html>',
    );
  });

  it('keeps up to 200 characters and marks a cut with ...', () => {
    const exactly = 'a'.repeat(200);
    expect(excerpt(exactly)).toBe(exactly);
    expect(excerpt(`${exactly}b`)).toBe(`${exactly}...`);
  });

  it('takes another limit', () => {
    expect(excerpt('abcdef', 3)).toBe('abc...');
    expect(excerpt('abc', 3)).toBe('abc');
  });
});
