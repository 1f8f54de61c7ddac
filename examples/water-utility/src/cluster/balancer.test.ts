import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Balancer, startBalancer } from './balancer.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An upstream that records what reached it and answers with its name; /healthz answers `health`. */
async function upstream(name: string, health = { status: 200 }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      if (req.url === '/healthz') {
        res.writeHead(health.status).end();
        return;
      }
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(201, { 'content-type': 'text/plain', 'x-upstream': name, connection: 'keep-alive' }).end(name);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    name,
    url,
    seen,
    health,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('the round-robin balancer', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const started = async (ups: { name: string; url: string }[], probeIntervalMs = 50): Promise<Balancer> => {
    const b = await startBalancer({ upstreams: ups, port: 0, probeIntervalMs });
    cleanup.push(() => b.close());
    return b;
  };

  it('takes turns, passes method, path, headers and body, and says which node answered', async () => {
    const a = await upstream('a');
    const b = await upstream('b');
    cleanup.push(a.close, b.close);
    const lb = await started([a, b]);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${lb.url}/ussd?x=${i}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': '203.0.113.9',
          'x-mine': 'k',
        },
        body: `text=${i}`,
      });
      answers.push({ status: res.status, node: res.headers.get('x-rolax-node'), body: await res.text() });
    }
    expect(answers).toEqual([
      { status: 201, node: 'a', body: 'a' },
      { status: 201, node: 'b', body: 'b' },
      { status: 201, node: 'a', body: 'a' },
      { status: 201, node: 'b', body: 'b' },
    ]);
    expect(a.seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/ussd?x=0', 'text=0'],
      ['POST', '/ussd?x=2', 'text=2'],
    ]);
    const headers = a.seen[0]!.headers;
    expect(headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      'x-mine': 'k',
      // The client's chain, then the address the balancer saw.
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'x-forwarded-host': new URL(lb.url).host,
    });
  });

  it('answers 502 for a node that is gone, without sending the request elsewhere, and skips it until it is healthy', async () => {
    const a = await upstream('a');
    const dead = await upstream('dead');
    cleanup.push(a.close);
    await dead.close();
    const lb = await started([dead, a], 60_000);
    const first = await fetch(`${lb.url}/ussd`, { method: 'POST', body: 'text=1' });
    expect([first.status, first.headers.get('x-rolax-node')]).toEqual([502, 'dead']);
    expect(a.seen).toHaveLength(0);
    const next = await Promise.all(
      [1, 2, 3].map(() => fetch(`${lb.url}/x`).then((r) => r.headers.get('x-rolax-node'))),
    );
    expect(next).toEqual(['a', 'a', 'a']);
    expect(lb.upstreams.map((u) => [u.name, u.up, u.failed])).toEqual([
      ['dead', false, 1],
      ['a', true, 0],
    ]);
  });

  it('puts a node back once its health check answers 200', async () => {
    const a = await upstream('a');
    const b = await upstream('b', { status: 503 });
    cleanup.push(a.close, b.close);
    const lb = await started([a, b]);
    lb.upstreams[1]!.up = false;
    await new Promise((r) => setTimeout(r, 200));
    expect(lb.upstreams[1]!.up).toBe(false);
    b.health.status = 200;
    await expect.poll(() => lb.upstreams[1]!.up).toBe(true);
  });

  it('answers 503 when no node is up', async () => {
    const lb = await started([{ name: 'x', url: 'http://127.0.0.1:9' }], 60_000);
    lb.upstreams[0]!.up = false;
    const res = await fetch(`${lb.url}/`);
    expect(res.status).toBe(503);
  });
});
