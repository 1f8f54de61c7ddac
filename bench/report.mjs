// Turns the raw figures into the printed table and the PASS/MISS verdicts.

const TARGETS = {
  fastifyRatio: 0.8,
  expressRatio: 0.9,
  p99Ms: 20,
};

const int = (n) => (n == null ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const fixed = (n, d = 2) => (n == null ? 'n/a' : n.toFixed(d));
const pad = (s, w) => String(s).padStart(w);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

export function verdicts(http) {
  const by = Object.fromEntries(http.filter((r) => !r.skipped).map((r) => [r.target, r]));
  const ratio = (a, b, key = 'requestsPerSec') => (by[a] && by[b] ? by[a][key] / by[b][key] : null);
  const out = {
    fastifyRatio: ratio('rolax-fastify', 'bare-fastify'),
    expressRatio: ratio('rolax-express', 'bare-express'),
    rolaxExpressOverPeer: ratio('rolax-express', 'peer-express'),
    fastifyRatioPerCpu: ratio('rolax-fastify', 'bare-fastify', 'requestsPerServerCpuSecond'),
    expressRatioPerCpu: ratio('rolax-express', 'bare-express', 'requestsPerServerCpuSecond'),
    rolaxExpressOverPeerPerCpu: ratio('rolax-express', 'peer-express', 'requestsPerServerCpuSecond'),
    p99: {},
  };
  for (const name of ['rolax-fastify', 'rolax-express']) {
    if (by[name]) out.p99[name] = { ms: by[name].latencyP99Ms, pass: by[name].latencyP99Ms < TARGETS.p99Ms };
  }
  out.fastifyPass = out.fastifyRatio != null && out.fastifyRatio >= TARGETS.fastifyRatio;
  out.expressPass = out.expressRatio != null && out.expressRatio >= TARGETS.expressRatio;
  return out;
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
  say('Ratios (req/s; per server CPU-second in brackets)');
  say(
    `  rolax-fastify / bare-fastify   ${pad(fixed(ratios.fastifyRatio), 5)}  [${fixed(ratios.fastifyRatioPerCpu)}]  target >= ${TARGETS.fastifyRatio}  ${verdict(ratios.fastifyPass)}`,
  );
  say(
    `  rolax-express / bare-express   ${pad(fixed(ratios.expressRatio), 5)}  [${fixed(ratios.expressRatioPerCpu)}]  target >= ${TARGETS.expressRatio}  ${verdict(ratios.expressPass)}`,
  );
  say(
    ratios.rolaxExpressOverPeer == null
      ? '  rolax-express / peer-express   n/a (peer library not run)'
      : `  rolax-express / peer-express   ${pad(fixed(ratios.rolaxExpressOverPeer), 5)}  [${fixed(ratios.rolaxExpressOverPeerPerCpu)}]  (ussd-menu-builder on Express 5, same menu)`,
  );
  for (const [name, p] of Object.entries(ratios.p99)) {
    say(`  p99 ${name.padEnd(26)}${pad(p.ms, 5)} ms  target < ${TARGETS.p99Ms} ms       ${verdict(p.pass)}`);
  }
  console.log(lines.join('\n'));
}
