// The menu funnel page: static assets only; the page reads `/ops/funnel` with the operator's token.
import type { FastifyInstance } from 'fastify';
import { registerStaticPage } from '../http/static-page.js';

/** `GET /funnel` and its script and style. */
export function funnelPageRoutes() {
  const dir = new URL('./funnel/', import.meta.url);
  return async (fastify: FastifyInstance) => registerStaticPage(fastify, '/funnel', dir);
}
