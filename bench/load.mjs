// HTTP load: each server runs in its own child process; autocannon drives it from this one.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { ACCOUNT, expectedBodies, formBody, hopPaths } from './menu.mjs';

const BARE_REPLY = 'CON ok';

/** Starts `bench/servers/<name>.mjs` and resolves once it listens. */
export async function startServer(name, env = {}) {
  const child = fork(new URL(`./servers/${name}.mjs`, import.meta.url), [], {
    execArgv: [],
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [msg] = await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`server ${name} exited with code ${code} before listening`);
    }),
  ]);
  const cpuTime = async () => {
    child.send('cpu');
    const [m] = await once(child, 'message');
    return (m.cpu.user + m.cpu.system) / 1e6;
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.disconnect();
    await exited;
  };
  return { url: `http://127.0.0.1:${msg.port}/ussd`, cpuTime, stop };
}

/** What each hop must answer: the menu's screens, or the constant of a bare floor. */
export function expectationsFor(kind, account = ACCOUNT) {
  return kind === 'bare' ? [BARE_REPLY, BARE_REPLY, BARE_REPLY] : expectedBodies(account);
}

/**
 * Outside the timed window: `sessions` concurrent three-hop sessions, each with its own account, every body
 * checked. Returns the problems found (empty when the target is correct).
 */
export async function probe(url, kind, { sessions = 20, prefix = 'probe' } = {}) {
  const problems = [];
  await Promise.all(
    Array.from({ length: sessions }, async (_, i) => {
      const account = String(2000 + i);
      const expected = expectationsFor(kind, account);
      const paths = hopPaths(account);
      for (let hop = 0; hop < 3; hop++) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: formBody(`${prefix}-${i}`, paths[hop]),
        });
        const body = await res.text();
        if (res.status !== 200 || body !== expected[hop]) {
          problems.push(
            `hop ${hop + 1}: expected 200 ${JSON.stringify(expected[hop])}, got ${res.status} ${JSON.stringify(body)}`,
          );
        }
      }
    }),
  );
  return problems;
}

let sessionSeq = 0;

/**
 * One autocannon run of three-hop sessions. Each connection cycles dial -> '1' -> '1*1001' with a fresh
 * sessionId per cycle; every reply is compared with what that hop must say (autocannon reads bodies anyway).
 */
export async function loadRun(url, kind, { connections = 32, duration = 5 } = {}) {
  const expected = expectationsFor(kind);
  const paths = hopPaths();
  const wrong = { count: 0, samples: [] };
  const hop = (i) => ({
    method: 'POST',
    setupRequest: (req, ctx) => {
      if (i === 0) ctx.sessionId = `load-${process.pid}-${++sessionSeq}`;
      return { ...req, body: formBody(ctx.sessionId, paths[i]) };
    },
    onResponse: (status, body) => {
      if (status === 200 && body === expected[i]) return;
      wrong.count++;
      const sample = `hop ${i + 1}: ${status} ${JSON.stringify(body.slice(0, 80))}`;
      if (wrong.samples.length < 3 && !wrong.samples.includes(sample)) wrong.samples.push(sample);
    },
  });
  const result = await autocannon({
    url,
    connections,
    duration,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requests: [hop(0), hop(1), hop(2)],
  });
  return { result, wrong };
}

/** Warm-up, then the timed run, with the server's CPU seconds over the timed run. */
export async function measure(name, kind, { warmup = 1, duration = 5, connections = 32, env, label } = {}) {
  const server = await startServer(name, env);
  try {
    const before = await probe(server.url, kind, { prefix: `${name}-pre` });
    await loadRun(server.url, kind, { connections, duration: warmup });
    const cpu0 = await server.cpuTime();
    const { result, wrong } = await loadRun(server.url, kind, { connections, duration });
    const serverCpuSeconds = (await server.cpuTime()) - cpu0;
    const after = await probe(server.url, kind, { prefix: `${name}-post` });
    const total = result.requests.total;
    return {
      target: label ?? name,
      requestsPerSec: total / duration,
      requests: total,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      wrongReplies: wrong.count,
      wrongSamples: wrong.samples,
      probeProblems: [...new Set([...before, ...after])].slice(0, 3),
      probeProblemCount: before.length + after.length,
      serverCpuSeconds,
      requestsPerServerCpuSecond: total / serverCpuSeconds,
    };
  } finally {
    await server.stop();
  }
}
