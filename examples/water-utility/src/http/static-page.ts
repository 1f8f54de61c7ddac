// A page of our own (HTML, one stylesheet, one script) served from files beside its module, locked to this origin.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

// Everything a page loads comes from this origin: the policy makes a stray external asset fail loudly.
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

/** Registers `GET path`, `path/page.css` and `path/page.js` from `page.html`, `page.css`, `page.js` in `dir`. */
export function registerStaticPage(fastify: FastifyInstance, path: string, dir: URL): void {
  const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
  const assets = {
    [path]: { type: 'text/html; charset=utf-8', body: read('page.html') },
    [`${path}/page.css`]: { type: 'text/css; charset=utf-8', body: read('page.css') },
    [`${path}/page.js`]: { type: 'text/javascript; charset=utf-8', body: read('page.js') },
  };
  for (const [url, asset] of Object.entries(assets)) {
    fastify.get(url, (_req, reply) =>
      reply
        .type(asset.type)
        .header('content-security-policy', CSP)
        .header('cache-control', 'no-cache')
        .send(asset.body),
    );
  }
}
