import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemTool } from '../../../../scripts/system-tools.js';
import { createUssdApp, type UssdApp } from '../engine/app.js';
import { isUssdError } from '../errors.js';
import { createMenu } from '../menu/dsl.js';
import { sessionStoreContract } from '../testing/session-store-contract.js';
import { ussdTester } from '../testing/tester.js';
import { silentLogger } from '../util/logger.js';
import { redisSessionStore } from './redis.js';

// A real server, not a mock: NX, PX expiry and the Lua script are what this store relies on.
let server: ChildProcess | undefined;
let port = 0;
// Every test that needs the server fails with this (rather than being skipped) when it could not start.
let unavailable: Error | undefined;
const clients: Redis[] = [];

function connect(): Redis {
  if (unavailable) throw unavailable;
  const client = new Redis({ host: '127.0.0.1', port });
  clients.push(client);
  return client;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: p } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return p;
}

async function answersPing(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(200, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
    socket.connect(p, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

async function startServer(): Promise<void> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not on PATH; install redis-server: apt-get install -y redis-server');
  }
  port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args);
  server = child;
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  for (let waited = 0; !(await answersPing(port)); waited += 50) {
    if (child.exitCode !== null || waited > 10_000) {
      throw new Error(`redis-server did not start on port ${port}:\n${output}`);
    }
    await sleep(50);
  }
}

const redis = systemTool('redis-server');

describe.skipIf(redis.skip)(redis.suite, () => {
  beforeAll(async () => {
    unavailable = await startServer().then(
      () => undefined,
      (err: Error) => err,
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill();
      await exited;
    }
  });

  sessionStoreContract('redis', async () => ({
    store: redisSessionStore({ client: connect(), prefix: `test:${randomUUID()}:` }),
    advance: (ms) => sleep(ms),
  }));

  describe('redis session store', () => {
    it('prefixes keys, rounds TTLs up to whole seconds and leaves the client open on dispose', async () => {
      const client = connect();
      const prefix = `test:${randomUUID()}:`;
      const store = redisSessionStore({ client, prefix });
      await store.set('k', 'v', 0.2);
      expect(await client.get(`${prefix}k`)).toBe('v');
      expect(await client.ttl(`${prefix}k`)).toBe(1);
      await store.dispose?.();
      expect(await store.get('k')).toBe('v');
    });

    it('turns client failures into UssdError STORE', async () => {
      const client = new Redis({
        host: '127.0.0.1',
        port: await freePort(),
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      const store = redisSessionStore({ client });
      const calls = [
        store.get('k'),
        store.set('k', 'v', 60),
        store.delete('k'),
        store.setIfAbsent('k', 'v', 1000),
        store.deleteIfEquals('k', 'v'),
      ];
      for (const result of await Promise.allSettled(calls)) {
        expect(result.status).toBe('rejected');
        const err = (result as PromiseRejectedResult).reason;
        expect(isUssdError(err, 'STORE')).toBe(true);
        expect(err.cause).toBeInstanceOf(Error);
      }
      client.disconnect();
    });
  });

  describe('two app nodes sharing redis', () => {
    interface Ctx {
      amount?: number;
      receipt?: string;
    }
    const m = createMenu<Ctx, { charge: (amount: number) => Promise<string> }>();
    const menu = m.define({
      id: 'pay',
      version: 1,
      initialContext: () => ({}),
      start: 'home',
      screens: {
        home: m.menu({ text: 'Welcome', options: [{ label: 'Pay', next: 'amount' }] }),
        amount: m.prompt({
          text: 'Enter amount',
          schema: z.coerce.number().int().positive(),
          save: (_c, amount) => ({ amount }),
          next: 'confirm',
          examples: ['100'],
        }),
        confirm: m.menu({ text: (c) => `Pay ${c.amount}?`, options: [{ label: 'Confirm', next: 'charge' }] }),
        charge: m.step({
          run: async (c, { services }) => ({ next: 'done', set: { receipt: await services.charge(c.amount ?? 0) } }),
          targets: ['done'],
        }),
        done: m.end({ text: (c) => `Paid: ${c.receipt}` }),
      },
    });

    it('serves one session across nodes and runs a step once when both nodes get the same hop', async () => {
      const prefix = `test:${randomUUID()}:`;
      let charges = 0;
      // One payment provider behind both nodes; slow enough that the two requests overlap.
      const charge = async (amount: number) => {
        charges++;
        await sleep(100);
        return `R${amount}`;
      };
      const node = () =>
        createUssdApp({
          menu,
          services: { charge },
          store: redisSessionStore({ client: connect(), prefix }),
          logger: silentLogger,
        });
      const nodes = { A: node(), B: node() };
      // A round-robin balancer in front of the two nodes.
      const served: string[] = [];
      const balancer: UssdApp = {
        ...nodes.A,
        handleHttp: (request) => {
          const name = served.length % 2 === 0 ? 'A' : 'B';
          served.push(name);
          return nodes[name].handleHttp(request);
        },
      };
      const s = ussdTester(balancer).session();

      await s.dial();
      s.expectScreen('Welcome');
      await s.input('1');
      s.expectScreen('Enter amount');
      await s.input('250');
      s.expectScreen('Pay 250?');
      // The confirming hop and the gateway's retry of it arrive together, one on each node.
      const [first, retry] = await Promise.all([s.input('1'), s.retry()]);
      expect(first.body).toBe('END Paid: R250');
      expect(retry.body).toBe('END Paid: R250');
      expect(served).toEqual(['A', 'B', 'A', 'B', 'A']);
      expect(charges).toBe(1);

      await nodes.A.dispose();
      await nodes.B.dispose();
    });
  });
});
