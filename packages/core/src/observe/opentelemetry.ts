/** @module @rolax/ussd-core/opentelemetry */
// `@rolax/ussd-core/opentelemetry`: one span per turn, a child span per lock wait, store call and machine step.
import { context, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { TurnObserver, TurnPhase } from '../engine/observer.js';

const phaseSpan: Record<TurnPhase, string> = {
  lock: 'ussd.lock',
  load: 'ussd.store.load',
  commit: 'ussd.store.commit',
  resume: 'ussd.store.resume',
  step: 'ussd.step',
};

/**
 * Traces turns through `@opentelemetry/api` alone: without a registered SDK every span is a no-op. Attributes
 * name the gateway, menu, screens, outcome and request id; never the phone number.
 */
export function opentelemetryObserver(o: { tracer?: Tracer | undefined } = {}): TurnObserver {
  const tracer = o.tracer ?? trace.getTracer('@rolax/ussd-core');
  return {
    begin(turn) {
      const root = tracer.startSpan('ussd.turn', {
        attributes: {
          'ussd.gateway': turn.gateway,
          'ussd.menu.id': turn.menuId,
          'ussd.menu.version': turn.menuVersion,
          'ussd.session.id': turn.sessionId,
          ...(turn.requestId === undefined ? {} : { 'http.request.id': turn.requestId }),
        },
      });
      const parent = trace.setSpan(context.active(), root);
      return {
        phase(name) {
          const span = tracer.startSpan(phaseSpan[name], {}, parent);
          return (error) => finish(span, error);
        },
        end(r) {
          root.setAttributes({
            'ussd.outcome': r.outcome,
            'ussd.reply.type': r.type,
            ...(r.screenBefore === undefined ? {} : { 'ussd.screen.before': r.screenBefore }),
            ...(r.screenAfter === undefined ? {} : { 'ussd.screen.after': r.screenAfter }),
          });
          const failed = r.outcome === 'error' || r.outcome === 'timeout' || r.outcome === 'busy';
          if (failed) root.setStatus({ code: SpanStatusCode.ERROR, message: r.outcome });
          root.end();
        },
      };
    },
  };
}

function finish(span: Span, error: unknown) {
  if (error !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}
