/** @module @rolax/ussd-core/prometheus */
// `@rolax/ussd-core/prometheus`: turn metrics and the menu funnel on a prom-client registry the host owns.
import { Counter, Histogram, type Registry, type RegistryContentType } from 'prom-client';
import type { TurnObserver, TurnReport } from '../engine/observer.js';
import type { FunnelStage, MenuFunnel } from './funnel.js';

export interface PrometheusObserverOptions {
  registry: Registry<RegistryContentType>;
  /** Metric name prefix. Default `ussd_`. */
  prefix?: string | undefined;
  /** Turn-duration buckets in seconds. Default 5 ms to 10 s (gateways give up at 10 s). */
  buckets?: number[] | undefined;
}

const defaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const partBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

/**
 * Counts turns and times them. Labels are bounded: gateway, menu id and version, outcome, reply type; never a
 * phone number or session id. On an OpenMetrics registry the duration carries the request id as an exemplar.
 */
export function prometheusObserver(o: PrometheusObserverOptions): TurnObserver {
  const p = o.prefix ?? 'ussd_';
  const registers = [o.registry as Registry];
  const exemplars = o.registry.contentType.startsWith('application/openmetrics-text');
  const turns = new Counter({
    name: `${p}turns_total`,
    help: 'USSD turns answered, by gateway, menu, outcome and reply type',
    labelNames: ['gateway', 'menu', 'version', 'outcome', 'type'] as const,
    registers,
  });
  const duration = new Histogram<string>({
    name: `${p}turn_duration_seconds`,
    help: 'Time to answer a USSD turn, lock wait included',
    labelNames: ['gateway', 'menu', 'outcome'] as const,
    buckets: o.buckets ?? defaultBuckets,
    enableExemplars: exemplars,
    registers,
  });
  const part = (name: string, help: string) =>
    new Histogram({ name: `${p}${name}`, help, labelNames: ['menu'] as const, buckets: partBuckets, registers });
  const lockWait = part('turn_lock_wait_seconds', 'Time a turn waited for its session lock');
  const store = part('turn_store_seconds', 'Time a turn spent reading and writing the session store');
  const step = part('turn_step_seconds', 'Time a turn spent in the menu machine and its steps');

  // Label children are looked up once per label combination, not per turn.
  const children = new Map<
    string,
    { turns: Counter.Internal; lock: Histogram.Internal<'menu'>; store: Histogram.Internal<'menu'> } & {
      step: Histogram.Internal<'menu'>;
      duration: Histogram.Internal<string>;
    }
  >();
  function childrenOf(r: TurnReport) {
    const key = `${r.gateway}\0${r.menuId}\0${r.menuVersion}\0${r.outcome}\0${r.type}`;
    let c = children.get(key);
    if (!c) {
      c = {
        turns: turns.labels(r.gateway, r.menuId, r.menuVersion, r.outcome, r.type),
        lock: lockWait.labels(r.menuId),
        store: store.labels(r.menuId),
        step: step.labels(r.menuId),
        duration: duration.labels(r.gateway, r.menuId, r.outcome),
      };
      children.set(key, c);
    }
    return c;
  }

  function end(r: TurnReport) {
    const c = childrenOf(r);
    c.turns.inc();
    if (exemplars && r.requestId !== undefined) {
      const labels = { gateway: r.gateway, menu: r.menuId, outcome: r.outcome };
      duration.observe({ labels, value: r.durationMs / 1000, exemplarLabels: { request_id: r.requestId } });
    } else {
      c.duration.observe(r.durationMs / 1000);
    }
    c.lock.observe(r.lockWaitMs / 1000);
    c.store.observe(r.storeMs / 1000);
    c.step.observe(r.stepMs / 1000);
  }

  const tracker = { end };
  return { begin: () => tracker };
}

const stages: FunnelStage[] = ['reached', 'left', 'timedOut', 'ended'];
const stageLabel: Record<FunnelStage, string> = {
  reached: 'reached',
  left: 'left',
  timedOut: 'timed_out',
  ended: 'ended',
};

/** Exposes a menu funnel as `<prefix>funnel_sessions_total{menu, screen, stage}`, read at each scrape. */
export function prometheusFunnel(o: {
  registry: Registry<RegistryContentType>;
  funnel: MenuFunnel;
  menuId: string;
  prefix?: string | undefined;
}): void {
  new Counter({
    name: `${o.prefix ?? 'ussd_'}funnel_sessions_total`,
    help: 'Sessions per menu screen: reached it, left there, timed out there, ended there',
    labelNames: ['menu', 'screen', 'stage'] as const,
    registers: [o.registry as Registry],
    collect() {
      this.reset();
      for (const [screen, c] of o.funnel.counts()) {
        for (const s of stages) this.inc({ menu: o.menuId, screen, stage: stageLabel[s] }, c[s]);
      }
    },
  });
}
