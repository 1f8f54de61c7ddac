// A client that trickles its request one byte at a time is cut off after the request timeout, instead of holding
// a connection for minutes.

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startWaterServer, type WaterServer } from '../src/server.js';

/** Opens a socket, sends `head`, then one byte of `drip` every interval; resolves with the seconds until closed. */
function trickle(
  url: string,
  head: string,
  drip: string,
  everyMs: number,
): Promise<{ seconds: number; reply: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let reply = '';
    let i = 0;
    const socket = connect(Number(port), hostname, () => socket.write(head));
    const timer = setInterval(() => {
      if (i < drip.length && !socket.destroyed) socket.write(drip[i++] as string);
    }, everyMs);
    socket.on('data', (d) => {
      reply += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ seconds: (Date.now() - started) / 1000, reply });
    });
  });
}

describe('slow clients', () => {
  let server: WaterServer;
  const dir = mkdtempSync(join(tmpdir(), 'rolax-slow-'));
  beforeAll(async () => {
    server = await startWaterServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', REQUEST_TIMEOUT_MS: '2000' }),
    );
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts off a body sent one byte at a time', async () => {
    const body = 'sessionId=s1&phoneNumber=%2B254711000111&serviceCode=*384*123%23&text='.padEnd(200, 'x');
    const head = `POST /ussd HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`;
    const r = await trickle(server.url, head, body, 200);
    // 200 bytes at 5 a second would take 40 s; the timeout (2 s) plus the check interval (1 s) ends it.
    expect(r.seconds).toBeLessThan(4.5);
    expect(r.reply).toMatch(/^HTTP\/1.1 408|^$/);
  });

  it('cuts off headers sent one byte at a time', async () => {
    const r = await trickle(server.url, 'GET /healthz HTTP/1.1\r\n', 'Host: x\r\nX-Slow: '.padEnd(300, 'y'), 200);
    expect(r.seconds).toBeLessThan(4.5);
  });

  it('closes an idle keep-alive connection within seconds', async () => {
    const r = await trickle(server.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', '', 1000);
    expect(r.reply).toMatch(/^HTTP\/1.1 200/);
    expect(r.seconds).toBeLessThan(7);
  });
});
