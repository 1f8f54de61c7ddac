// In-process figures: engine turns/s, actor-per-turn vs pure XState transitions, heap per live session.
import { createActor, initialTransition, transition } from 'xstate';
import { ACCOUNT, expectedBodies, hopPaths, rolaxApp, syncMenuApp } from './menu.mjs';

const turnBase = {
  kind: 'path',
  provider: 'africastalking',
  phoneNumber: '+254711000001',
  serviceCode: '*384*1#',
  networkCode: '63902',
};

/**
 * Best ops/s of each variant over interleaved short rounds. Other processes share the 2 cores, so each variant
 * sees the same noise and the best round is the closest to what the code itself costs. The clock is read every
 * 64 ops to keep it out of the measured loop.
 */
function bestOpsPerSecond(variants, { rounds = 6, ms = 150 } = {}) {
  const best = Object.fromEntries(Object.keys(variants).map((k) => [k, 0]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      let ops = 0;
      const start = performance.now();
      let now = start;
      while (now - start < ms) {
        for (let i = 0; i < 64; i++) fn();
        ops += 64;
        now = performance.now();
      }
      best[name] = Math.max(best[name], (ops * 1000) / (now - start));
    }
  }
  return best;
}

/**
 * `concurrency` sessions in flight, each dialing, choosing and entering an account, with fresh ids each cycle.
 * Every reply is checked, so a wrong turn fails the bench instead of inflating it.
 */
async function sessionLoad(app, { concurrency, ms, prefix }) {
  const expected = expectedBodies();
  const paths = hopPaths();
  let turns = 0;
  let seq = 0;
  const stopAt = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const sessionId = `${prefix}-${seq++}`;
      for (let hop = 0; hop < 3; hop++) {
        const r = await app.handle({ ...turnBase, sessionId, path: paths[hop] });
        if (r.body !== expected[hop]) throw new Error(`engine hop ${hop + 1}: got ${JSON.stringify(r.body)}`);
        turns++;
      }
    }
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return {
    turnsPerSec: (turns * 1000) / (performance.now() - start),
    cpuMicrosPerTurn: (used.user + used.system) / turns,
  };
}

export async function engineTurns({ ms = 2000 } = {}) {
  // JIT warm-up on a throwaway app: the first few thousand turns run several times slower than the rest.
  const warm = rolaxApp();
  await sessionLoad(warm, { concurrency: 32, ms: 2000, prefix: 'warm' });
  await warm.dispose();
  const out = {};
  for (const concurrency of [1, 32]) {
    const app = rolaxApp();
    out[concurrency] = await sessionLoad(app, { concurrency, ms, prefix: `run${concurrency}` });
    await app.dispose();
  }
  return {
    turnsPerSecConcurrency1: out[1].turnsPerSec,
    turnsPerSecConcurrency32: out[32].turnsPerSec,
    // CPU time is what other processes on a shared machine disturb least.
    cpuMicrosPerTurn: out[32].cpuMicrosPerTurn,
  };
}

/**
 * Per-turn XState cost on the compiled menu machine: restoring an actor from the persisted snapshot, sending
 * INPUT and persisting again, against the pure `transition` function doing the same restore/step/persist.
 * A third column calls the machine's own `transition` with one actor scope made once: xstate's `transition()`
 * helper builds a throwaway actor (and the machine's initial context) on every call, and this shows what is
 * left without that.
 */
export function xstateMicro({ ms = 150 } = {}) {
  const app = syncMenuApp();
  const machine = app.menu.machine;
  const input = { session: { sessionId: 's', phoneNumber: '+254711000001', serviceCode: '*384*1#' } };
  const event = { type: 'INPUT', value: '1' };
  const scopeOwner = createActor(machine, { input });
  const scope = {
    self: scopeOwner,
    system: scopeOwner.system,
    id: '',
    sessionId: '',
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    actionExecutor: () => {},
  };

  const dialActor = () => {
    const a = createActor(machine, { input });
    a.start();
    const p = a.getPersistedSnapshot();
    a.stop();
    return p;
  };
  const dialPure = () => machine.getPersistedSnapshot(initialTransition(machine, input)[0]);
  const dialScope = () => machine.getPersistedSnapshot(machine.getInitialSnapshot(scope, input));
  const home = dialActor();
  const stepActor = () => {
    const a = createActor(machine, { snapshot: home, input });
    a.start();
    a.send(event);
    const p = a.getPersistedSnapshot();
    a.stop();
    return p;
  };
  const stepPure = () => machine.getPersistedSnapshot(transition(machine, machine.resolveState(home), event)[0]);
  const stepScope = () => machine.getPersistedSnapshot(machine.transition(machine.resolveState(home), event, scope));

  // Every path must land on the same state, or the comparison means nothing.
  const value = (p) => JSON.stringify(p.value);
  const dials = [dialActor(), dialPure(), dialScope()].map(value);
  const steps = [stepActor(), stepPure(), stepScope()].map(value);
  if (new Set(dials).size !== 1 || new Set(steps).size !== 1 || steps[0] !== '"account"') {
    throw new Error(`actor and pure transitions disagree: dial ${dials}, step ${steps}`);
  }
  const best = bestOpsPerSecond({ stepActor, stepPure, stepScope, dialActor, dialPure, dialScope }, { ms });
  return {
    stepActorOpsPerSec: best.stepActor,
    stepPureOpsPerSec: best.stepPure,
    stepScopeOpsPerSec: best.stepScope,
    stepPureOverActor: best.stepPure / best.stepActor,
    stepScopeOverActor: best.stepScope / best.stepActor,
    dialActorOpsPerSec: best.dialActor,
    dialPureOpsPerSec: best.dialPure,
    dialScopeOpsPerSec: best.dialScope,
    dialPureOverActor: best.dialPure / best.dialActor,
    dialScopeOverActor: best.dialScope / best.dialActor,
  };
}

/** Heap growth for sessions parked on the account prompt (two hops done), per 1,000 sessions. */
export async function heapPerSessions({ sessions = 10_000 } = {}) {
  if (typeof globalThis.gc !== 'function') return { heapBytesPer1000Sessions: null, storedBytesPerSession: null };
  const app = rolaxApp();
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      globalThis.gc();
      await new Promise((r) => setImmediate(r));
    }
    return process.memoryUsage().heapUsed;
  };
  // One session first, so code and caches that every session shares are not counted.
  for (const path of hopPaths().slice(0, 2)) await app.handle({ ...turnBase, sessionId: 'heap-warm', path });
  const before = await settle();
  for (let i = 0; i < sessions; i++) {
    for (const path of hopPaths().slice(0, 2)) await app.handle({ ...turnBase, sessionId: `heap-${i}`, path });
  }
  const after = await settle();
  // What the store holds for one parked session, byte for byte.
  const saved = await app.store.get(`ussd:${app.machineId}:africastalking:heap-0`);
  const check = await app.handle({ ...turnBase, sessionId: 'heap-0', path: hopPaths(ACCOUNT)[2] });
  if (check.body !== expectedBodies()[2]) throw new Error('a parked session did not finish correctly');
  await app.dispose();
  return {
    heapBytesPer1000Sessions: ((after - before) / sessions) * 1000,
    storedBytesPerSession: saved === null ? null : Buffer.byteLength(saved),
  };
}
