// REDIS_URL moves USSD sessions to Redis: two service nodes on one database serve one session's hops in turn, the
// session lives in Redis (not in the database), and a late re-send reaching the other node still moves nothing.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemTool } from '../../../scripts/system-tools.js';
import { freePort } from '../src/cluster/launch.js';
import { http, sqliteOf, startService } from './harness.js';

const PHONE = '+254722000222';
const redisTool = systemTool('redis-server');

describe.skipIf(redisTool.skip)(redisTool.suite, () => {
  let redisServer: ChildProcess;
  let client: Redis;
  let url: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'rolax-water-redis-'));
  let nodes: Awaited<ReturnType<typeof startService>>[] = [];

  beforeAll(async () => {
    if (!redisTool.path) throw new Error('redis-server is not on PATH: install it (apt-get install -y redis-server)');
    const port = await freePort();
    redisServer = spawn(redisTool.path, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    url = `redis://127.0.0.1:${port}`;
    client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    for (let waited = 0; ; waited += 50) {
      try {
        await client.connect();
        if ((await client.ping()) === 'PONG') break;
      } catch (error) {
        if (waited > 10_000) throw error;
        client.disconnect();
        await sleep(50);
      }
    }
    // Two nodes on one SQLite folder, as two processes on one file would be; sessions in Redis.
    nodes = [await startService(dataDir, undefined, { REDIS_URL: url })];
    nodes.push(await startService(dataDir, undefined, { REDIS_URL: url }));
  }, 30_000);

  afterAll(async () => {
    for (const node of nodes) await node.server.close();
    client?.disconnect();
    redisServer?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves one session across two nodes from Redis, and a late re-send on the other node moves nothing', async () => {
    const [first, second] = nodes;
    if (!first || !second) throw new Error('both nodes should be running');
    const a = http(first.server);
    const b = http(second.server);
    const hop = (node: ReturnType<typeof http>, text: string) =>
      node
        .call(
          'POST',
          '/ussd',
          new URLSearchParams({ sessionId: 'ATUid_redis1', phoneNumber: PHONE, serviceCode: '*384*123#', text }),
        )
        .then((r) => r.text);

    const replies: Record<string, string> = {};
    const order = ['', '1', '1*0', '1*0*2', '1*0*2*1'];
    for (const [i, text] of order.entries()) replies[text] = await hop(i % 2 === 0 ? a : b, text);
    expect(replies['1*0*2*1']).toMatch(/^CON /);
    expect(replies['1*0*2*1']).toContain('Confirm');

    // The session is in Redis under the service's prefix, and not in the database.
    const keys = await client.keys('rolax-water:*');
    expect(keys.length).toBeGreaterThan(0);
    const inDb = sqliteOf(first.server).prepare('SELECT COUNT(*) AS n FROM ussd_sessions').get() as { n: number };
    expect(inDb.n).toBe(0);

    // The late re-send of the second hop reaches the node that did not answer it first.
    expect(await hop(a, '1')).toBe(replies['1']);
    for (const node of [a, b]) {
      const prompts = (await node.call('GET', `/dev/stk?phone=${encodeURIComponent(PHONE)}`)).json;
      expect(prompts).toHaveLength(0);
    }
    // Still on Confirm, whichever node is asked.
    expect(await hop(b, '1*0*2*1')).toBe(replies['1*0*2*1']);
  });
});
