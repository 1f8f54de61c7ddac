import type { MenuMessages } from '../menu/dsl.js';
import type { Localized, SessionInfo } from '../menu/text.js';
import type { SessionStore } from '../ports/session-store.js';
import type { Envelope, PersistedSnapshot } from './envelope.js';
import type { EnvelopeStore } from './envelope-store.js';
import type { MachineRunner, Run } from './machine-runner.js';
import { reply, type UssdReply } from './turn.js';

/**
 * "Continue where you left off": when a session rests on a screen marked resumable, its state is kept per phone
 * for a few minutes; the next dial from that phone is offered it once.
 */
export function createResumePoints(o: {
  store: SessionStore;
  envelopes: EnvelopeStore;
  runner: MachineRunner;
  machineId: string;
  ttlSeconds: number;
  messages: MenuMessages;
  text: (l: Localized, context: unknown) => string;
}) {
  const keyOf = (phone: string) => `resume:${o.machineId}:${phone}`;

  function screen(context: unknown, error?: string): UssdReply {
    const t = (l: Localized) => o.text(l, context);
    const lines = [
      error,
      t(o.messages.resumePrompt),
      `1. ${t(o.messages.resumeContinue)}`,
      `2. ${t(o.messages.resumeRestart)}`,
    ];
    return reply('CON', lines.filter(Boolean).join('\n'));
  }

  return {
    enabled: o.ttlSeconds > 0,

    /** Keeps the phone's resume point after a turn that rests on a resumable screen, or clears an old one. */
    async record(phone: string, run: Run, ended: boolean, hadOne: boolean): Promise<boolean> {
      if (!ended && run.resumable) {
        const saved = { snapshot: run.state.snapshot, history: run.state.history };
        await o.store.set(keyOf(phone), JSON.stringify(saved), o.ttlSeconds);
        return true;
      }
      if (hadOne) await o.store.delete(keyOf(phone));
      return false;
    },

    /** Offers the phone's resume point, if it has one, as this session's first screen (once). */
    async offer(key: string, phone: string): Promise<UssdReply | undefined> {
      const saved = await o.store.get(keyOf(phone));
      if (!saved) return undefined;
      await o.store.delete(keyOf(phone));
      let point: { snapshot: PersistedSnapshot; history?: PersistedSnapshot[] };
      try {
        point = JSON.parse(saved);
      } catch {
        return undefined;
      }
      const body = screen((point.snapshot as { context?: unknown }).context);
      const env = o.envelopes.make({
        transcript: '',
        lastReply: body.body,
        ended: false,
        snapshot: {},
        history: [],
        page: 0,
        resume: { snapshot: point.snapshot, history: point.history ?? [] },
      });
      await o.envelopes.save(key, env);
      return body;
    },

    /** The answer to the offer: a run to persist, or the offer again (already saved) after an invalid choice. */
    async answer(
      key: string,
      env: Envelope,
      input: string,
      path: string,
      session: SessionInfo,
      signal: AbortSignal,
      sequence: number | undefined,
    ): Promise<{ run: Run } | { again: UssdReply }> {
      const offer = env.resume!;
      if (input === '1') {
        const state = {
          snapshot: withSession(offer.snapshot, session),
          history: offer.history.map((h) => withSession(h, session)),
          page: 0,
        };
        return { run: o.runner.show(state, session) };
      }
      if (input === '2') return { run: await o.runner.start(session, signal) };
      const context = (offer.snapshot as { context?: unknown }).context;
      const again = screen(context, o.text(o.messages.invalidChoice, context));
      await o.envelopes.save(key, { ...env, transcript: path, lastReply: again.body, sequence, updatedAt: Date.now() });
      return { again };
    },
  };
}

/** A resumed snapshot carries the old session's ids in its context; give it the new ones. */
function withSession(snapshot: PersistedSnapshot, session: SessionInfo): PersistedSnapshot {
  const context = snapshot.context as Record<string, unknown> | undefined;
  if (!context || typeof context !== 'object' || !('session' in context)) return snapshot;
  return { ...snapshot, context: { ...context, session } };
}
