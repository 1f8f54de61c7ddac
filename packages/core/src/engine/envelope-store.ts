import type { SessionStore } from '../ports/session-store.js';
import { decodeEnvelope, ENVELOPE_VERSION, type Envelope, type LoadResult } from './envelope.js';

/**
 * Envelopes in the session store. The last envelope each session wrote is kept parsed: a store that hands back
 * the same string (memory always, others when nobody else wrote) skips JSON parsing and validation.
 */
export function createEnvelopeStore(o: {
  store: SessionStore;
  machineId: string;
  machineVersion: string;
  ttlSeconds: number;
}) {
  const recent = new Map<string, { raw: string; envelope: Envelope }>();
  const RECENT_MAX = 10_000;

  return {
    async load(key: string): Promise<LoadResult> {
      const raw = await o.store.get(key);
      const hit = raw === null ? undefined : recent.get(key);
      if (hit && hit.raw === raw) return { kind: 'ok', envelope: hit.envelope };
      return decodeEnvelope(raw, o.machineId, o.machineVersion);
    },
    async save(key: string, env: Envelope): Promise<void> {
      const raw = JSON.stringify(env);
      await o.store.set(key, raw, o.ttlSeconds);
      recent.delete(key);
      if (env.ended) return;
      recent.set(key, { raw, envelope: env });
      if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
    },
    async forget(key: string): Promise<void> {
      recent.delete(key);
      await o.store.delete(key);
    },
    /** A fresh envelope of this machine with the given fields. */
    make(fields: Omit<Envelope, 'v' | 'machineId' | 'machineVersion' | 'updatedAt'>): Envelope {
      return {
        v: ENVELOPE_VERSION,
        machineId: o.machineId,
        machineVersion: o.machineVersion,
        ...fields,
        updatedAt: Date.now(),
      };
    },
  };
}

export type EnvelopeStore = ReturnType<typeof createEnvelopeStore>;
