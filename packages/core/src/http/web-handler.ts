import type { UssdApp } from '../engine/app.js';
import { isUssdError } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import { decodeGatewayBody, defaultBodyLimit, tooLarge } from './body.js';

export interface WebHandlerOptions {
  /** Largest body read. Default 16 KiB; larger requests get 413. */
  bodyLimit?: number | undefined;
  /** Where the app logs when it was built without a logger. */
  logger?: Logger | undefined;
}

export interface WebRequestInfo {
  /**
   * The client's address, for `allowedIps`: a web `Request` does not carry it. Take it from the platform's own
   * (proxy-aware) source, never from an `X-Forwarded-For` header a client can write. Without it, an app with
   * `allowedIps` refuses every request.
   */
  remoteAddress?: string | undefined;
}

/**
 * A USSD callback as a web-standard handler, `Request` in and `Response` out: mounts on Hono, Next.js route
 * handlers, Bun, Deno and Workers without an adapter package.
 */
export function createWebHandler(app: UssdApp, options: WebHandlerOptions = {}) {
  const limit = options.bodyLimit ?? defaultBodyLimit;
  if (options.logger) app.useHostLogger(options.logger);
  return async (request: Request, info: WebRequestInfo = {}): Promise<Response> => {
    if (request.method !== 'POST') {
      return new Response('use POST', { status: 405, headers: { allow: 'POST', 'content-type': 'text/plain' } });
    }
    let raw: Uint8Array;
    try {
      raw = await readWebBody(request, limit);
    } catch (err) {
      const status = isUssdError(err) ? err.status : 400;
      return new Response(isUssdError(err) ? err.message : 'could not read the request body', {
        status,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    const body = decodeGatewayBody(raw, request.headers.get('content-type'));
    const answer = await app.handleHttp({ body, remoteAddress: info.remoteAddress });
    return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } });
  };
}

async function readWebBody(request: Request, limit: number): Promise<Uint8Array> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
