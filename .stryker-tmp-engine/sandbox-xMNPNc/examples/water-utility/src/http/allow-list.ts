// @ts-nocheck
import { BlockList, isIP } from 'node:net';
import type { Logger } from '@rolax/ussd-core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * An `onRequest` hook that refuses callers outside the listed addresses and CIDR ranges (403); an empty list lets
 * everyone through. The address is Fastify's `req.ip`, so only the configured proxies can speak for a client.
 */
export function allowOnly(entries: readonly string[], logger: Logger) {
  if (entries.length === 0) return async () => {};
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const ip = req.ip.startsWith('::ffff:') ? req.ip.slice(7) : req.ip;
    const family = isIP(ip);
    if (family && list.check(ip, family === 6 ? 'ipv6' : 'ipv4')) return;
    logger.warn({ ip, path: req.routeOptions.url }, 'callback refused: address not allowed');
    return reply.code(403).type('text/plain; charset=utf-8').send('callbacks are not accepted from this address');
  };
}
