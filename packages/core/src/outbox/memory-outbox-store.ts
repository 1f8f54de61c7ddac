import { UssdError } from '../errors.js';
import type { OutboxItem, OutboxStore } from '../ports/outbox.js';

interface Entry {
  item: OutboxItem;
  leasedUntil: number;
}

/** A single-process outbox store for tests and one-node setups; items are lost on restart. */
export function memoryOutboxStore(): OutboxStore {
  // A Map iterates in insertion order and sort is stable, so items created in the same millisecond are handed
  // out in the order they were added.
  const entries = new Map<string, Entry>();
  /** The entry to update, or undefined when it is already final: a late worker must not reopen a settled item. */
  const pendingEntry = (key: string) => {
    const found = entries.get(key);
    if (!found) throw new UssdError('STORE', `outbox item not found: ${key}`);
    return found.item.status === 'pending' ? found : undefined;
  };

  return {
    name: 'memory',
    async add({ key, message, createdAt }) {
      if (entries.has(key)) return false;
      const item: OutboxItem = {
        key,
        message: structuredClone(message),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: createdAt,
        createdAt,
      };
      entries.set(key, { item, leasedUntil: 0 });
      return true;
    },
    async get(key) {
      const found = entries.get(key);
      return found ? structuredClone(found.item) : null;
    },
    async claimDue(now, limit, leaseMs) {
      const due = [...entries.values()]
        .filter((e) => e.item.status === 'pending' && e.item.nextAttemptAt <= now && e.leasedUntil <= now)
        .sort((a, b) => a.item.createdAt - b.item.createdAt)
        .slice(0, Math.max(0, limit));
      for (const e of due) e.leasedUntil = now + leaseMs;
      return due.map((e) => structuredClone(e.item));
    },
    async markSent(key, result, attempts) {
      const e = pendingEntry(key);
      if (!e) return;
      e.item = { ...e.item, status: 'sent', attempts, result: structuredClone(result), lastError: undefined };
      e.leasedUntil = 0;
    },
    async markRetry(key, attempts, nextAttemptAt, error, progress) {
      const e = pendingEntry(key);
      if (!e) return;
      e.item = {
        ...e.item,
        attempts,
        nextAttemptAt,
        lastError: error,
        progress: progress ? structuredClone(progress) : e.item.progress,
      };
      e.leasedUntil = 0;
    },
    async markFailed(key, attempts, error, result) {
      const e = pendingEntry(key);
      if (!e) return;
      e.item = {
        ...e.item,
        status: 'failed',
        attempts,
        lastError: error,
        result: result ? structuredClone(result) : e.item.result,
      };
      e.leasedUntil = 0;
    },
  };
}
