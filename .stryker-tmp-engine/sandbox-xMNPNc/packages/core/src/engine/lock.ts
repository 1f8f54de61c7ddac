// @ts-nocheck
import { randomUUID } from 'node:crypto';
import { UssdError } from '../errors.js';
import type { SessionStore } from '../ports/session-store.js';

/**
 * Per-session serialization: requests of one session queue in-process first (no polling on one node), then
 * take the store's lock, which holds across nodes. Different sessions never wait on each other.
 */
export function createSessionLocks(store: SessionStore) {
  const local = new Map<string, Promise<void>>();

  async function acquireStore(key: string, leaseMs: number, deadline: number, signal: AbortSignal) {
    const token = randomUUID();
    let wait = 5;
    for (;;) {
      if (await store.setIfAbsent(key, token, leaseMs)) return token;
      if (signal.aborted || Date.now() + wait > deadline) {
        throw new UssdError('SESSION_BUSY', 'another request of this session holds the lock');
      }
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 100);
    }
  }

  return {
    async run<T>(key: string, opts: { leaseMs: number; deadline: number; signal: AbortSignal }, fn: () => Promise<T>) {
      const previous = local.get(key);
      let release!: () => void;
      const mine = new Promise<void>((r) => {
        release = r;
      });
      const chained = previous ? previous.then(() => mine) : mine;
      local.set(key, chained);
      try {
        // Only a request queued behind another of its session waits (and pays for a timer).
        if (previous) await waitUntil(previous, opts.deadline);
        const token = await acquireStore(key, opts.leaseMs, opts.deadline, opts.signal);
        try {
          return await fn();
        } finally {
          await store.deleteIfEquals(key, token).catch(() => undefined);
        }
      } finally {
        release();
        if (local.get(key) === chained) local.delete(key);
      }
    },
  };
}

/** Waits for `p` but not past `deadline`, so one stuck request cannot block the queue of its session forever. */
async function waitUntil(p: Promise<void>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((r) => {
    timer = setTimeout(() => r('expired'), Math.max(0, deadline - Date.now()));
  });
  try {
    if ((await Promise.race([p.then(() => 'ok' as const), expired])) === 'expired') {
      throw new UssdError('SESSION_BUSY', 'an earlier request of this session is still running');
    }
  } finally {
    clearTimeout(timer);
  }
}
