// Turns the raw figures into the printed table and the PASS/MISS verdicts.

const TARGETS = {
  engineTurns: 30_000,
  engineOverXstate: 0.75,
  fastifyRatio: 0.5,
  expressRatio: 0.9,
  expressOverPeer: 1.1,
  p99Ms: 20,
};

const int = (n) => (n == null ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const fixed = (n, d = 2) => (n == null ? 'n/a' : n.toFixed(d));
const pad = (s, w) => String(s).padStart(w);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

export function verdicts(http, engine, xstate) {
  const by = Object.fromEntries(http.filter((r) => !r.skipped).map((r) => [r.target, r]));
  const ratio = (a, b, key = 'requestsPerSec') => (by[a] && by[b] ? by[a][key] / by[b][key] : null);
  const atLeast = (v, t) => v != null && v >= t;
  // One row per store: each rolax target against the bare framework and the peer library of the same run.
  const stores = ['', '+redis'].map((suffix) => {
    const row = {
      store: suffix === '' ? 'memory' : 'redis',
      fastifyRatio: ratio(`rolax-fastify${suffix}`, 'bare-fastify'),
      expressRatio: ratio(`rolax-express${suffix}`, 'bare-express'),
      expressOverPeer: ratio(`rolax-express${suffix}`, 'peer-express'),
      fastifyRatioPerCpu: ratio(`rolax-fastify${suffix}`, 'bare-fastify', 'requestsPerServerCpuSecond'),
      expressRatioPerCpu: ratio(`rolax-express${suffix}`, 'bare-express', 'requestsPerServerCpuSecond'),
      expressOverPeerPerCpu: ratio(`rolax-express${suffix}`, 'peer-express', 'requestsPerServerCpuSecond'),
      p99: {},
    };
    for (const name of [`rolax-fastify${suffix}`, `rolax-express${suffix}`]) {
      if (by[name]) row.p99[name] = { ms: by[name].latencyP99Ms, pass: by[name].latencyP99Ms < TARGETS.p99Ms };
    }
    row.fastifyPass = atLeast(row.fastifyRatio, TARGETS.fastifyRatio);
    row.expressPass = atLeast(row.expressRatio, TARGETS.expressRatio);
    row.peerPass = atLeast(row.expressOverPeer, TARGETS.expressOverPeer);
    return row;
  });
  const engineOverXstate = engine && xstate ? engine.turnsPerSecConcurrency32 / xstate.stepActorOpsPerSec : null;
  return {
    engineTurns: engine?.turnsPerSecConcurrency32 ?? null,
    engineTurnsPass: atLeast(engine?.turnsPerSecConcurrency32, TARGETS.engineTurns),
    engineOverXstate,
    engineOverXstatePass: atLeast(engineOverXstate, TARGETS.engineOverXstate),
    stores,
  };
}

export function printReport({ env, engine, xstate, heap, http, ratios }) {
  const lines = [];
  const say = (s = '') => lines.push(s);
  say(
    `rolax USSD bench - node ${env.node}, ${env.cpus} cores, load average ${fixed(env.loadBefore, 1)} before / ${fixed(env.loadAfter, 1)} after`,
  );
  if (env.loadBefore > env.cpus)
    say('  note: other processes were busy on this machine; absolute figures are low and noisy, ratios less so');
  say();
  say(
    'Engine in-process: app.handle(), memory store, three-hop sessions with distinct ids (async step resolves at once)',
  );
  say(`  turns/s, 1 session at a time      ${pad(int(engine.turnsPerSecConcurrency1), 10)}`);
  say(`  turns/s, 32 sessions in flight    ${pad(int(engine.turnsPerSecConcurrency32), 10)}`);
  say(`  CPU us per turn, 32 in flight     ${pad(fixed(engine.cpuMicrosPerTurn, 0), 10)}`);
  say(
    heap.heapBytesPer1000Sessions == null
      ? '  heap per 1,000 live sessions      n/a (run node with --expose-gc)'
      : `  heap per 1,000 live sessions      ${pad(fixed(heap.heapBytesPer1000Sessions / 1024 / 1024, 2), 10)} MiB   (stored envelope ${heap.storedBytesPerSession} B/session)`,
  );
  say();
  say('XState per turn on the compiled menu machine (no async), ops/s, best of interleaved rounds');
  const head = ['actor/turn', 'transition()', 'pure/actor', 'reused scope', 'scope/actor'];
  say(`  ${''.padEnd(32)}${head.map((h) => pad(h, 13)).join('')}`);
  const row = (label, actor, pure, scoped) =>
    say(
      `  ${label.padEnd(32)}${[
        int(actor),
        int(pure),
        `${fixed(pure / actor)}x`,
        int(scoped),
        `${fixed(scoped / actor)}x`,
      ]
        .map((c) => pad(c, 13))
        .join('')}`,
    );
  row('restore + INPUT + persist', xstate.stepActorOpsPerSec, xstate.stepPureOpsPerSec, xstate.stepScopeOpsPerSec);
  row('dial (initial state) + persist', xstate.dialActorOpsPerSec, xstate.dialPureOpsPerSec, xstate.dialScopeOpsPerSec);
  say('  actor/turn:   createActor(machine, { snapshot }).start(); send(INPUT); getPersistedSnapshot(); stop()');
  say(
    '  transition(): machine.resolveState(snapshot), xstate transition() / initialTransition(), getPersistedSnapshot',
  );
  say('  reused scope: machine.transition() / getInitialSnapshot() with one actor scope made up front');
  say();
  say(
    `HTTP on loopback: ${env.connections} connections, ${env.duration} s after ${env.warmup} s warm-up, server in its own process`,
  );
  say(
    `  ${'target'.padEnd(15)}${pad('req/s', 9)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('errors', 8)}${pad('non-2xx', 9)}${pad('wrong', 7)}${pad('req/CPU-s', 11)}`,
  );
  for (const r of http) {
    if (r.skipped) {
      say(`  ${r.target.padEnd(15)}not run: ${r.skipped}`);
      continue;
    }
    say(
      `  ${r.target.padEnd(15)}${pad(int(r.requestsPerSec), 9)}${pad(r.latencyP50Ms, 8)}${pad(r.latencyP99Ms, 8)}${pad(r.errors, 8)}${pad(r.non2xx, 9)}${pad(r.wrongReplies + r.probeProblemCount, 7)}${pad(int(r.requestsPerServerCpuSecond), 11)}`,
    );
    for (const s of [...r.wrongSamples, ...r.probeProblems]) say(`    wrong reply: ${s}`);
  }
  say('  wrong = replies that differ from the expected screen (timed run + probes before/after);');
  say('  req/CPU-s = requests per CPU-second used by the server process (steadier than req/s on a busy machine)');
  say();
  say('Targets');
  say(
    `  engine turns/s, 32 in flight     ${pad(int(ratios.engineTurns), 8)}   target >= ${int(TARGETS.engineTurns)}   ${verdict(ratios.engineTurnsPass)}`,
  );
  say(
    `  engine / XState actor-per-turn   ${pad(fixed(ratios.engineOverXstate), 8)}   target >= ${TARGETS.engineOverXstate}     ${verdict(ratios.engineOverXstatePass)}`,
  );
  say('  HTTP ratios (req/s; per server CPU-second in brackets)');
  for (const r of ratios.stores) {
    const line = (label, v, cpu, target, pass) =>
      say(
        v == null
          ? `  ${label.padEnd(37)}n/a`
          : `  ${label.padEnd(37)}${pad(fixed(v), 5)}  [${fixed(cpu)}]  target >= ${target}  ${verdict(pass)}`,
      );
    const sfx = r.store === 'memory' ? '' : '+redis';
    line(
      `rolax-fastify${sfx} / bare-fastify`,
      r.fastifyRatio,
      r.fastifyRatioPerCpu,
      TARGETS.fastifyRatio,
      r.fastifyPass,
    );
    line(
      `rolax-express${sfx} / bare-express`,
      r.expressRatio,
      r.expressRatioPerCpu,
      TARGETS.expressRatio,
      r.expressPass,
    );
    line(
      `rolax-express${sfx} / peer-express`,
      r.expressOverPeer,
      r.expressOverPeerPerCpu,
      TARGETS.expressOverPeer,
      r.peerPass,
    );
    for (const [name, p] of Object.entries(r.p99)) {
      say(`  p99 ${name.padEnd(33)}${pad(p.ms, 5)} ms  target < ${TARGETS.p99Ms} ms   ${verdict(p.pass)}`);
    }
  }
  console.log(lines.join('\n'));
}
