import type { Logger, UssdApp } from '@rolax/ussd-core';
import { consoleLogger } from '@rolax/ussd-core';
import { decodeGatewayBody, defaultBodyLimit, readNodeBody } from '@rolax/ussd-core/http';
import type { NextFunction, Request, Response } from 'express';

export interface UssdMiddlewareOptions {
  /** Largest body read when no body parser ran first. Default 16 KiB; larger requests get 413. */
  bodyLimit?: number | undefined;
  /**
   * Where the app logs when `createUssdApp` was given no logger (pino, or anything with `warn(obj, msg)` and
   * friends). Default: warnings and errors as plain `console` lines.
   */
  logger?: Logger | undefined;
}

/**
 * An Express 4 or 5 handler for a USSD callback: `app.post('/ussd', createUssdMiddleware(ussd))`. Works behind
 * any body parser or none. The caller's address for `allowedIps` is `req.ip`, so it follows Express's
 * `trust proxy` setting: leave that off unless a proxy you run sets `X-Forwarded-For`, or anyone can forge it.
 */
export function createUssdMiddleware(ussd: UssdApp, options: UssdMiddlewareOptions = {}) {
  const limit = options.bodyLimit ?? defaultBodyLimit;
  ussd.useHostLogger(options.logger ?? consoleLogger());
  return (req: Request, res: Response, next: NextFunction): void => {
    gatewayBody(req, limit)
      .then((body) => ussd.handleHttp({ body, remoteAddress: req.ip ?? req.socket.remoteAddress }))
      .then((answer) => {
        // Written straight to the socket: a USSD reply is never cached, so Express's ETag hashing is wasted work.
        res.statusCode = answer.status;
        res.setHeader('content-type', answer.contentType);
        res.setHeader('content-length', Buffer.byteLength(answer.body));
        res.end(answer.body);
      })
      // Only reading the body can fail here (too large, connection reset); answer plainly, never with a stack.
      .catch((err: { status?: number; message?: string }) => {
        if (res.headersSent) return next(err);
        res
          .status(err.status ?? 400)
          .type('text/plain')
          .send(err.message ?? 'could not read the request body');
      });
  };
}

/**
 * A parser that read the stream left its result in `req.body`. One that skipped the request did not read it, but
 * may still have set `req.body` (Express 4's `json()` sets `{}` for a form), so the stream decides, not `req.body`.
 */
async function gatewayBody(req: Request, limit: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (!req.readableEnded) return decodeGatewayBody(await readNodeBody(req, limit), type);
  const parsed: unknown = req.body;
  return typeof parsed === 'string' || parsed instanceof Uint8Array ? decodeGatewayBody(parsed, type) : parsed;
}
