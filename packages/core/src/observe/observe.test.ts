import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUssdApp } from '../engine/app.js';
import { combineObservers, type TurnReport } from '../engine/observer.js';
import { createMenu } from '../menu/dsl.js';
import { ussdTester } from '../testing/tester.js';
import { silentLogger } from '../util/logger.js';
import { createMenuFunnel } from './funnel.js';
import { opentelemetryObserver } from './opentelemetry.js';
import { prometheusFunnel, prometheusObserver } from './prometheus.js';

const m = createMenu<{ amount?: number }, { charge: (n: number) => Promise<void> }>();
const menu = m.define({
  id: 'shop',
  version: 3,
  initialContext: () => ({}),
  start: 'home',
  screens: {
    home: m.menu({
      text: 'Welcome',
      options: [
        { label: 'Pay', next: 'amount' },
        { label: 'Help', next: 'help' },
      ],
    }),
    amount: m.prompt({
      text: 'Enter amount',
      schema: z.coerce.number().int().positive(),
      save: (_c, amount) => ({ amount }),
      next: 'charge',
    }),
    charge: m.step({
      run: async (ctx, { services }) => {
        await services.charge(ctx.amount ?? 0);
        return { next: 'paid' };
      },
      targets: ['paid'],
    }),
    paid: m.end({ text: 'Paid' }),
    help: m.end({ text: 'Call us' }),
  },
});

function appWith(observer: Parameters<typeof createUssdApp>[0]['observer']) {
  return createUssdApp({
    menu,
    services: {
      charge: async (n) => {
        if (n === 13) throw new Error('unlucky');
      },
    },
    logger: silentLogger,
    observer,
  });
}

describe('turn observer', () => {
  it('reports screens, outcome and timings of each turn', async () => {
    const reports: TurnReport[] = [];
    const app = appWith({ begin: () => ({ end: (r) => reports.push(r) }) });
    const s = ussdTester(app, { phoneNumber: '+254711000999' }).session();
    await s.dial();
    await s.input('1');
    await s.retry();
    await s.input('50');
    expect(reports.map((r) => [r.screenBefore, r.screenAfter, r.outcome, r.type])).toEqual([
      [undefined, 'home', 'ok', 'CON'],
      ['home', 'amount', 'ok', 'CON'],
      ['amount', 'amount', 'replay', 'CON'],
      ['amount', 'paid', 'ok', 'END'],
    ]);
    const last = reports[3] as TurnReport;
    expect(last).toMatchObject({ gateway: 'africastalking', menuId: 'shop', menuVersion: '3' });
    expect(last.stepMs).toBeGreaterThan(0);
    expect(last.storeMs).toBeGreaterThan(0);
    expect(last.durationMs).toBeGreaterThanOrEqual(last.stepMs + last.storeMs);
    expect(last.lockWaitMs).toBeLessThanOrEqual(last.durationMs);
    // No phone number in a report (its nine national digits; timings are floats, so '254' alone can occur).
    expect(JSON.stringify(reports)).not.toContain('711000999');
    expect(reports.every((r) => !('phoneNumber' in r))).toBe(true);
  });

  it('keeps a failed turn on the screen it failed from', async () => {
    const reports: TurnReport[] = [];
    const app = appWith({ begin: () => ({ end: (r) => reports.push(r) }) });
    const s = ussdTester(app).session();
    await s.dial();
    await s.input('1');
    await s.input('13');
    expect(reports.at(-1)).toMatchObject({
      outcome: 'error',
      type: 'END',
      screenBefore: 'amount',
      screenAfter: 'amount',
    });
  });

  it('passes the request id from HTTP to the observer', async () => {
    const reports: TurnReport[] = [];
    const app = appWith({ begin: () => ({ end: (r) => reports.push(r) }) });
    const body = 'sessionId=s1&phoneNumber=%2B254700000001&serviceCode=*384%23&text=&networkCode=63902';
    const answer = await app.handleHttp({ body, requestId: 'req-7' });
    expect(answer.status).toBe(200);
    expect(reports[0]?.requestId).toBe('req-7');
  });
});

describe('prometheus observer', () => {
  it('counts turns by outcome and times them, with bounded labels', async () => {
    const registry = new Registry();
    const app = appWith(prometheusObserver({ registry }));
    for (const [i, inputs] of [['1', '50'], ['2'], ['1', '13']].entries()) {
      const s = ussdTester(app, { phoneNumber: `+25470000000${i}` }).session();
      await s.dial();
      for (const input of inputs) await s.input(input);
    }
    const turns = await registry.getSingleMetric('ussd_turns_total')?.get();
    const count = (outcome: string, type: string) =>
      turns?.values
        .filter((v) => v.labels.outcome === outcome && v.labels.type === type)
        .reduce((n, v) => n + v.value, 0);
    expect(count('ok', 'CON')).toBe(5);
    expect(count('ok', 'END')).toBe(2);
    expect(count('error', 'END')).toBe(1);
    const text = await registry.metrics();
    expect(text).toContain('ussd_turn_duration_seconds_count{gateway="africastalking",menu="shop",outcome="ok"} 7');
    expect(text).toContain('ussd_turn_step_seconds_count{menu="shop"} 8');
    expect(text).toMatch(/ussd_turn_store_seconds_bucket/);
    expect(text).toMatch(/ussd_turn_lock_wait_seconds_bucket/);
    // Never a phone number or session id in a label.
    expect(text).not.toMatch(/\{[^}]*(2547|session)[^}]*\}/);
  });

  it('attaches the request id as an exemplar on an OpenMetrics registry', async () => {
    const registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const app = appWith(prometheusObserver({ registry }));
    const body = 'sessionId=s9&phoneNumber=%2B254700000001&serviceCode=*384%23&text=&networkCode=63902';
    await app.handleHttp({ body, requestId: 'req-42' });
    expect(await registry.metrics()).toMatch(/ussd_turn_duration_seconds_bucket\{[^}]*\} 1 # \{request_id="req-42"\}/);
  });
});

describe('menu funnel', () => {
  it('counts per screen the sessions that reached, left, timed out and ended there', async () => {
    const funnel = createMenuFunnel();
    const registry = new Registry();
    prometheusFunnel({ registry, funnel, menuId: 'shop' });
    const app = appWith(funnel.observer);
    const dial = async (id: string, inputs: string[]) => {
      const s = ussdTester(app).session({ sessionId: id });
      await s.dial();
      for (const input of inputs) await s.input(input);
    };
    await dial('a', ['1', '50']); // paid
    await dial('b', ['2']); // help
    await dial('c', ['1']); // leaves on amount
    await dial('d', ['1']); // times out on amount
    await dial('e', []); // leaves on home
    await dial('f', ['1', '0', '1']); // back and forth: amount counts once
    funnel.sessionEnded({ sessionId: 'a', status: 'Success' });
    funnel.sessionEnded({ sessionId: 'c', status: 'Incomplete' });
    funnel.sessionEnded({ sessionId: 'd', status: 'Failed' });
    funnel.sessionEnded({ sessionId: 'e', status: 'Incomplete' });
    funnel.sessionEnded({ sessionId: 'zz', status: 'Incomplete', screen: 'amount' });
    expect(Object.fromEntries(funnel.counts())).toEqual({
      home: { reached: 6, left: 1, timedOut: 0, ended: 0 },
      amount: { reached: 4, left: 2, timedOut: 1, ended: 0 },
      paid: { reached: 1, left: 0, timedOut: 0, ended: 1 },
      help: { reached: 1, left: 0, timedOut: 0, ended: 1 },
    });
    const text = await registry.metrics();
    expect(text).toContain('ussd_funnel_sessions_total{menu="shop",screen="amount",stage="left"} 2');
    expect(text).toContain('ussd_funnel_sessions_total{menu="shop",screen="amount",stage="timed_out"} 1');
  });
});

describe('opentelemetry observer', () => {
  it('makes one span per turn with child spans for the lock, store calls and steps', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('test');
    const app = appWith(opentelemetryObserver({ tracer }));
    const body = 'sessionId=t1&phoneNumber=%2B254700000001&serviceCode=*384%23&networkCode=63902';
    await app.handleHttp({ body: `${body}&text=`, requestId: 'r1' });
    await app.handleHttp({ body: `${body}&text=1`, requestId: 'r2' });
    await app.handleHttp({ body: `${body}&text=1*50`, requestId: 'r3' });
    const spans = exporter.getFinishedSpans();
    const roots = spans.filter((s) => s.name === 'ussd.turn');
    expect(roots.map((r) => r.attributes['http.request.id'])).toEqual(['r1', 'r2', 'r3']);
    const last = roots[2];
    expect(last?.attributes).toMatchObject({
      'ussd.gateway': 'africastalking',
      'ussd.menu.id': 'shop',
      'ussd.outcome': 'ok',
      'ussd.screen.before': 'amount',
      'ussd.screen.after': 'paid',
    });
    const children = spans.filter((s) => s.parentSpanContext?.spanId === last?.spanContext().spanId).map((s) => s.name);
    expect(children).toEqual(['ussd.lock', 'ussd.store.load', 'ussd.step', 'ussd.store.commit']);
    expect(spans.every((s) => s.spanContext().traceId === s.parentSpanContext?.traceId || s.name === 'ussd.turn')).toBe(
      true,
    );
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('254700000001');
  });

  it('is a no-op without an SDK and still answers', async () => {
    const app = appWith(combineObservers(opentelemetryObserver(), prometheusObserver({ registry: new Registry() })));
    const s = ussdTester(app).session();
    await s.dial();
    s.expectScreen('Welcome\n1. Pay\n2. Help');
  });
});
