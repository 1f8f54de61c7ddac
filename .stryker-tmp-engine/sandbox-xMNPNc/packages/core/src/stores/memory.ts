// @ts-nocheck
import type { SessionStore } from '../ports/session-store.js';

export interface MemorySessionStoreOptions {
  /** Clock for tests; defaults to Date.now. */
  now?: (() => number) | undefined;
  /** How often expired keys are swept, in ms (0 turns the sweep off). Default 60 s. */
  sweepIntervalMs?: number | undefined;
}

/** A single-process store with TTL. Fine for one node and for tests; use Redis or SQL across nodes. */
export function memorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  const now = options.now ?? Date.now;
  const data = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = data.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweepMs = options.sweepIntervalMs ?? 60_000;
  const timer =
    sweepMs > 0
      ? setInterval(() => {
          const t = now();
          for (const [k, e] of data) if (e.expiresAt <= t) data.delete(k);
        }, sweepMs)
      : undefined;
  timer?.unref();

  return {
    name: 'memory',
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      data.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async delete(key) {
      data.delete(key);
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      data.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async deleteIfEquals(key, value) {
      if (live(key)?.value !== value) return false;
      data.delete(key);
      return true;
    },
    async dispose() {
      if (timer) clearInterval(timer);
      data.clear();
    },
  };
}
