// @ts-nocheck
import type { UssdApp } from '@rolax/ussd-core';
import type { NextFunction, Request, Response } from 'express';

export interface UssdMiddlewareOptions {
  /** Largest body read when no body parser ran first. Default 16 KiB. */
  bodyLimit?: number | undefined;
}

/**
 * An Express 4 or 5 handler for a USSD callback: `app.post('/ussd', createUssdMiddleware(ussd))`.
 * Uses `req.body` when a body parser already ran, otherwise reads the form itself.
 */
export function createUssdMiddleware(ussd: UssdApp, options: UssdMiddlewareOptions = {}) {
  const limit = options.bodyLimit ?? 16 * 1024;
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = req.body !== undefined && req.body !== null ? Promise.resolve(req.body) : readBody(req, limit);
    body
      .then((raw) => ussd.handleHttp({ body: raw, remoteAddress: req.socket.remoteAddress }))
      .then((answer) => {
        res.status(answer.status).type(answer.contentType).send(answer.body);
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

function readBody(req: Request, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (req.readableEnded) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop keeping the rest but let it drain, so the caller still gets the 413.
        req.removeAllListeners('data');
        req.resume();
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
