// `npm run bench`: engine figures in-process, then each HTTP target in its own child process, one table.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { engineTurns, heapPerSessions, xstateMicro } from './engine.mjs';
import { measure } from './load.mjs';
import { startRedis } from './redis.mjs';
import { printReport, verdicts } from './report.mjs';

// Warm-up is long enough for XState and zod to reach optimised code (several thousand requests).
const load = { connections: 32, warmup: 4, duration: 5 };

// kind: what the replies must be ('bare' answers a constant, 'menu' the three screens).
const targets = [
  ['bare-fastify', 'bare'],
  ['rolax-fastify', 'menu'],
  ['bare-express', 'bare'],
  ['rolax-express', 'menu'],
  ['peer-express', 'menu'],
];

const loadBefore = os.loadavg()[0];
console.error('engine in-process...');
const engine = await engineTurns();
const xstate = xstateMicro();
const heap = await heapPerSessions();

const http = [];
for (const [name, kind] of targets) {
  console.error(`http ${name}...`);
  try {
    http.push(await measure(name, kind, load));
  } catch (err) {
    // Only the peer library may be absent or broken on this Node; our own targets must run.
    if (name !== 'peer-express') throw err;
    http.push({ target: name, skipped: String(err?.message ?? err) });
  }
}

// The rolax targets again with their sessions in redis, beside the memory rows above.
const redis = await startRedis();
if (redis.skipped) {
  for (const name of ['rolax-fastify', 'rolax-express']) http.push({ target: `${name}+redis`, skipped: redis.skipped });
} else {
  try {
    for (const name of ['rolax-fastify', 'rolax-express']) {
      console.error(`http ${name} with redis...`);
      http.push(
        await measure(name, 'menu', { ...load, env: { BENCH_REDIS_PORT: String(redis.port) }, label: `${name}+redis` }),
      );
    }
  } finally {
    await redis.stop();
  }
}

const env = {
  node: process.version,
  cpus: os.cpus().length,
  loadBefore,
  loadAfter: os.loadavg()[0],
  ...load,
};
const ratios = verdicts(http, engine, xstate);
const results = { at: new Date().toISOString(), env, engine, xstate, heap, http, ratios };
printReport(results);

const file = new URL('./results.json', import.meta.url);
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nraw figures: bench/results.json`);

// Misses are reported, not fatal (machines are noisy); a wrong or failed reply is.
const broken = http.filter(
  (r) => !r.skipped && (r.errors > 0 || r.non2xx > 0 || r.wrongReplies > 0 || r.probeProblemCount > 0),
);
if (broken.length > 0) {
  console.error(`\nFAILED: wrong or failed replies from ${broken.map((r) => r.target).join(', ')}`);
  process.exitCode = 1;
}
