import type { AnyActorRef } from 'xstate';
import type { SessionStore } from '../ports/session-store.js';
import { createEnvelopeCodec, type Envelope, type LoadResult, type ResumePoint } from './envelope.js';
import { createSessionLocks } from './lock.js';
import type { SnapshotBase } from './snapshot-delta.js';

/** What one turn changes about a phone's resume point. */
export type ResumeChange = { kind: 'keep' } | { kind: 'save'; point: ResumePoint } | { kind: 'clear' };

/**
 * The one owner of every key a session uses in the store: its envelope (which carries the per-hop replies),
 * its lock, and its phone's resume point. Everything it reads is validated; nothing else writes the store.
 */
export function createSessionRepository(o: {
  store: SessionStore;
  machineId: string;
  machineVersion: string;
  /** The machine's base snapshot (`snapshotBase`): stored snapshots are kept as their difference from it. */
  base: SnapshotBase;
  ttlSeconds: number;
  resumeTtlSeconds: number;
  /** The clock `updatedAt` is read from. Default `Date.now`. */
  now?: (() => number) | undefined;
}) {
  const { store } = o;
  const now = o.now ?? Date.now;
  const locks = createSessionLocks(store);
  const codec = createEnvelopeCodec(o);
  // The last envelope each session wrote, kept parsed: a store that hands back the same string (memory always,
  // others when nobody else wrote) skips JSON parsing and validation.
  const recent = new Map<string, { raw: string; envelope: Envelope }>();
  const RECENT_MAX = 10_000;
  // Live actors of the sessions that wrote last, keyed by the exact envelope string they stand on: a hit skips
  // restoring the machine. Another node's write changes the string, so a stale actor is never used.
  const live = new Map<string, { raw: string; actor: AnyActorRef; snapshot: unknown }>();
  const LIVE_MAX = 2_000;
  const resumeKey = (phone: string) => `resume:${o.machineId}:${phone}`;

  function remember(key: string, raw: string, envelope: Envelope) {
    recent.delete(key);
    if (envelope.ended) return;
    recent.set(key, { raw, envelope });
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
  }

  return {
    keyOf: (provider: string, sessionId: string) => `ussd:${o.machineId}:${provider}:${sessionId}`,

    /** Runs `fn` holding the session's lock (in-process queue first, then the store lock across nodes). */
    withLock<T>(key: string, opts: { leaseMs: number; deadline: number; signal: AbortSignal }, fn: () => Promise<T>) {
      return locks.run(`lock:${key}`, opts, fn);
    },

    async load(key: string): Promise<LoadResult & { live?: AnyActorRef | undefined }> {
      const raw = await store.get(key);
      const hit = raw === null ? undefined : recent.get(key);
      if (hit && hit.raw === raw) {
        // The actor must still stand where it was left: a turn that failed after moving it, or a hand-written
        // machine that moved on its own, changed its snapshot.
        const actor = live.get(key);
        const usable = actor && actor.raw === raw && actor.actor.getSnapshot() === actor.snapshot;
        return { kind: 'ok', envelope: hit.envelope, live: usable ? actor.actor : undefined };
      }
      return codec.decode(raw);
    },

    /**
     * The one write of a turn: the session's envelope, then its phone's resume point when that changes. The
     * actor standing on the new envelope, if any, is kept for the session's next turn.
     */
    async commit(
      key: string,
      envelope: Envelope,
      phone: string,
      resume: ResumeChange,
      actor?: AnyActorRef | undefined,
    ): Promise<void> {
      const raw = codec.encode(envelope);
      await store.set(key, raw, o.ttlSeconds);
      remember(key, raw, envelope);
      const previous = live.get(key);
      if (previous && previous.actor !== actor) previous.actor.stop();
      live.delete(key);
      if (actor && !envelope.ended) {
        live.set(key, { raw, actor, snapshot: actor.getSnapshot() });
        if (live.size > LIVE_MAX) {
          const oldest = live.keys().next().value as string;
          live.get(oldest)?.actor.stop();
          live.delete(oldest);
        }
      } else {
        actor?.stop();
      }
      if (resume.kind === 'save') {
        await store.set(resumeKey(phone), codec.encodeResume(resume.point), o.resumeTtlSeconds);
      } else if (resume.kind === 'clear') {
        await store.delete(resumeKey(phone));
      }
    },

    async forget(key: string): Promise<void> {
      recent.delete(key);
      live.get(key)?.actor.stop();
      live.delete(key);
      await store.delete(key);
    },

    /** Takes the phone's resume point (it is offered once); a malformed one is dropped. */
    async takeResumePoint(phone: string): Promise<ResumePoint | undefined> {
      const raw = await store.get(resumeKey(phone));
      if (raw === null) return undefined;
      await store.delete(resumeKey(phone));
      return codec.decodeResume(raw);
    },

    /** A fresh envelope of this machine with the given fields. */
    make(fields: Omit<Envelope, 'machineId' | 'machineVersion' | 'updatedAt'>): Envelope {
      return {
        machineId: o.machineId,
        machineVersion: o.machineVersion,
        ...fields,
        updatedAt: now(),
      };
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
