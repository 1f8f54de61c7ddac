// `npm run bench:cluster`: check-usage USSD sessions per second of the water service, and the CPU each session
// costs in the nodes, the balancer and the database, for one node on SQLite, one node on PostgreSQL and three
// nodes on PostgreSQL behind the cluster's balancer (`npm run start:cluster` itself), in one run.
// Runs under tsx (the service is TypeScript): node --import tsx bench/cluster.mjs
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, launch } from '../examples/water-utility/src/cluster/launch.ts';
import { startLocalPostgres } from '../scripts/postgres-server.ts';

const WARMUP = Number(process.env.BENCH_WARMUP ?? 4);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'info';
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** Phones with one account each: a session is home, the account's use, back, exit (four hops). */
const CUSTOMERS = [
  ['+254722000222', '2001'],
  ['+254744000555', '4001'],
  ['+254755000666', '5001'],
  ['+254733000333', '3001'],
];
const HOPS = ['', '1', '1*0', '1*0*5'];
const EXPECTED = [
  () => /^CON rolax Water\n/,
  (account) => new RegExp(`^CON (Acc|Akaunti) ${account} `),
  () => /^CON rolax Water\n/,
  () => /^END (Thank you|Asante)/,
];

/** CPU ms (user + system) a process has used so far, from /proc/<pid>/stat; 0 once it has gone. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The postmaster and its children (a backend per connection, the writers, the checkpointer). */
function postgresPids(postmaster) {
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // Exited while listing.
    }
  }
  return pids;
}

/** CPU ms of each group of processes, summed; the PostgreSQL group is re-listed, backends come and go. */
const sample = (groups) =>
  Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [name, pids().reduce((sum, pid) => sum + cpuMs(pid), 0)]),
  );

let sessionSeq = 0;

async function load(url, duration) {
  const wrong = { count: 0, samples: [] };
  const hop = (i) => ({
    method: 'POST',
    path: '/ussd',
    setupRequest: (req, ctx) => {
      if (i === 0) {
        ctx.sessionId = `bench-${process.pid}-${++sessionSeq}`;
        ctx.customer = CUSTOMERS[sessionSeq % CUSTOMERS.length];
      }
      const body = new URLSearchParams({
        sessionId: ctx.sessionId,
        phoneNumber: ctx.customer[0],
        serviceCode: '*384*123#',
        networkCode: '63902',
        text: HOPS[i],
      });
      return { ...req, body: body.toString() };
    },
    onResponse: (status, body, ctx) => {
      if (status === 200 && EXPECTED[i](ctx.customer[1]).test(body)) return;
      wrong.count++;
      if (wrong.samples.length < 3) wrong.samples.push(`hop ${i + 1}: ${status} ${JSON.stringify(body.slice(0, 80))}`);
    },
  });
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: HOPS.map((_, i) => hop(i)),
  });
  return { result, wrong };
}

/** Warm-up, then the timed run with the CPU of each group of processes over it. */
async function measure(target, url, groups) {
  console.error(`${target}: warm-up ${WARMUP} s, then ${DURATION} s`);
  const warm = await load(url, WARMUP);
  const before = sample(groups);
  const { result, wrong } = await load(url, DURATION);
  const after = sample(groups);
  const sessions = result.requests.total / HOPS.length;
  const perSession = (name) => (groups[name] ? (after[name] - before[name]) / sessions : undefined);
  return {
    target,
    sessionsPerSec: sessions / DURATION,
    hopP50Ms: result.latency.p50,
    hopP99Ms: result.latency.p99,
    cpuMsPerSession: { nodes: perSession('nodes'), balancer: perSession('balancer'), database: perSession('database') },
    failures: result.errors + result.timeouts + result.non2xx + wrong.count + warm.wrong.count,
    samples: [...warm.wrong.samples, ...wrong.samples].slice(0, 3),
  };
}

const base = { ...process.env, HOST: '127.0.0.1', LOG_LEVEL, OPS_TOKEN: 'bench-ops-token-0123456789' };
delete base.DATABASE_URL;
const dir = mkdtempSync(join(tmpdir(), 'rolax-bench-cluster-'));
// Run as root, PostgreSQL runs as its own user, which must reach its data folder inside this one.
chmodSync(dir, 0o755);
const results = [];
const loadBefore = os.loadavg()[0];
let postgres;
try {
  {
    const port = await freePort();
    const node = await launch({
      name: 'sqlite',
      entry: 'src/main.ts',
      env: { ...base, PORT: String(port), DATA_DIR: join(dir, 'sqlite') },
      url: `http://127.0.0.1:${port}`,
      logFile: join(dir, 'sqlite.log'),
    });
    try {
      results.push(await measure('1 node, SQLite', node.url, { nodes: () => [node.pid] }));
    } finally {
      await node.stop();
    }
  }

  postgres = await startLocalPostgres({ dataDir: join(dir, 'postgres') });
  const database = async (name, synchronousCommit) => {
    const url = await postgres.createDatabase(name);
    const client = new pg.Client({ connectionString: postgres.url() });
    await client.connect();
    await client.query(`ALTER DATABASE ${name} SET synchronous_commit = ${synchronousCommit}`);
    await client.end();
    return url;
  };
  const dbGroup = () => postgresPids(postgres.pid);

  for (const [label, sync] of [
    ['1 node, PostgreSQL', 'off'],
    ['1 node, PostgreSQL, synchronous_commit=on', 'on'],
  ]) {
    const url = await database(`bench_one_${sync}`, sync);
    const port = await freePort();
    const node = await launch({
      name: 'pg',
      entry: 'src/main.ts',
      env: { ...base, PORT: String(port), DATABASE_URL: url, DATA_DIR: join(dir, 'pg') },
      url: `http://127.0.0.1:${port}`,
      logFile: join(dir, `pg-${sync}.log`),
    });
    try {
      results.push(await measure(label, node.url, { nodes: () => [node.pid], database: dbGroup }));
    } finally {
      await node.stop();
    }
  }

  {
    const url = await database('bench_three', 'off');
    const port = await freePort();
    const logFile = join(dir, 'cluster.log');
    const cluster = await launch({
      name: 'cluster',
      entry: 'src/cluster/main.ts',
      env: { ...base, PORT: String(port), DATABASE_URL: url, CLUSTER_DIR: join(dir, 'cluster') },
      url: `http://127.0.0.1:${port}`,
      logFile,
    });
    try {
      // Healthy through the balancer can come a moment before the banner is written.
      let banner = '';
      for (let i = 0; i < 100 && !banner.includes('stops everything'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        banner = readFileSync(logFile, 'utf8');
      }
      const nodes = [...banner.matchAll(/node-\d+\s+\S+\s+pid (\d+)/g)].map((m) => Number(m[1]));
      if (nodes.length !== 3) throw new Error(`expected three nodes in the banner:\n${banner}`);
      results.push(
        await measure('3 nodes, PostgreSQL, balancer', cluster.url, {
          nodes: () => nodes,
          balancer: () => [cluster.pid],
          database: dbGroup,
        }),
      );
    } finally {
      await cluster.stop();
    }
  }
} finally {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}

const ms = (v) => (v === undefined ? '-' : v.toFixed(2));
const total = (r) => Object.values(r.cpuMsPerSession).reduce((s, v) => s + (v ?? 0), 0);
console.log(
  `\nCheck-usage sessions (4 hops), ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s timed per target; ` +
    `LOG_LEVEL=${LOG_LEVEL}; ${os.cpus().length} CPUs, Node ${process.version}, load average ${loadBefore.toFixed(1)} ` +
    `before and ${os.loadavg()[0].toFixed(1)} after`,
);
console.log(
  `${'target'.padEnd(44)}${'sessions/s'.padStart(11)}${'hop p50'.padStart(9)}${'hop p99'.padStart(9)}` +
    `${'CPU ms per session: nodes'.padStart(27)}${'balancer'.padStart(10)}${'database'.padStart(10)}${'total'.padStart(8)}`,
);
for (const r of results) {
  console.log(
    `${r.target.padEnd(44)}${r.sessionsPerSec.toFixed(1).padStart(11)}${`${r.hopP50Ms} ms`.padStart(9)}` +
      `${`${r.hopP99Ms} ms`.padStart(9)}${ms(r.cpuMsPerSession.nodes).padStart(27)}` +
      `${ms(r.cpuMsPerSession.balancer).padStart(10)}${ms(r.cpuMsPerSession.database).padStart(10)}` +
      `${ms(total(r)).padStart(8)}`,
  );
}
const sqlite = results.find((r) => r.target === '1 node, SQLite');
const onePg = results.find((r) => r.target === '1 node, PostgreSQL');
console.log(
  `PostgreSQL / SQLite CPU per session, one node: ${(total(onePg) / total(sqlite)).toFixed(2)} ` +
    `(node alone ${(onePg.cpuMsPerSession.nodes / sqlite.cpuMsPerSession.nodes).toFixed(2)})`,
);
const failed = results.filter((r) => r.failures > 0);
for (const r of failed)
  console.error(`${r.target}: ${r.failures} failed or wrong replies, e.g. ${r.samples.join('; ')}`);
process.exit(failed.length ? 1 : 0);
