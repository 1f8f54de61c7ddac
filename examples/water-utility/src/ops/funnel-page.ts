// The menu funnel page: static assets only; the page reads `/ops/funnel` with the operator's token.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const read = (name: string) => readFileSync(new URL(`./funnel/${name}`, import.meta.url), 'utf8');

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `GET /funnel` and its script and style. */
export function funnelPageRoutes() {
  const assets = {
    '/funnel': { type: 'text/html; charset=utf-8', body: read('page.html') },
    '/funnel/page.css': { type: 'text/css; charset=utf-8', body: read('page.css') },
    '/funnel/page.js': { type: 'text/javascript; charset=utf-8', body: read('page.js') },
  };
  return async (fastify: FastifyInstance) => {
    for (const [url, asset] of Object.entries(assets)) {
      fastify.get(url, (_req, reply) =>
        reply
          .type(asset.type)
          .header('content-security-policy', CSP)
          .header('cache-control', 'no-cache')
          .send(asset.body),
      );
    }
  };
}
