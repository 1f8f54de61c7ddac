// @ts-nocheck
import type { SessionStore } from '@rolax/ussd-core';
import type { SqliteContext } from './context.js';

/**
 * USSD sessions in the service database, so a restart keeps sessions in flight and resume points, and several
 * processes on one database file share one lock per session. Expired rows are ignored on read and swept on write.
 */
export function sqliteSessionStore(ctx: SqliteContext, clock: () => number = Date.now): SessionStore {
  const { db, exec } = ctx;
  const get = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM ussd_sessions WHERE key = ? AND expires_at > ?',
  );
  const put = db.prepare<[string, string, number]>(
    'INSERT INTO ussd_sessions (key, value, expires_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
  );
  // Inserts, or takes over a row whose lease ran out; a live row is left alone.
  const putIfAbsent = db.prepare<[string, string, number, number]>(
    'INSERT INTO ussd_sessions (key, value, expires_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at ' +
      'WHERE ussd_sessions.expires_at <= ?',
  );
  const del = db.prepare<[string]>('DELETE FROM ussd_sessions WHERE key = ?');
  const delIf = db.prepare<[string, string]>('DELETE FROM ussd_sessions WHERE key = ? AND value = ?');
  const sweep = db.prepare<[number]>('DELETE FROM ussd_sessions WHERE expires_at <= ?');
  let writes = 0;

  return {
    name: 'sqlite',
    get: (key) => exec.run(() => get.get(key, clock())?.value ?? null),
    set: (key, value, ttlSeconds) =>
      exec.run(() => {
        const now = clock();
        put.run(key, value, now + ttlSeconds * 1000);
        if (++writes % 500 === 0) sweep.run(now);
      }),
    delete: (key) => exec.run(() => void del.run(key)),
    setIfAbsent: (key, value, ttlMs) =>
      exec.run(() => {
        const now = clock();
        return putIfAbsent.run(key, value, now + ttlMs, now).changes === 1;
      }),
    deleteIfEquals: (key, value) => exec.run(() => delIf.run(key, value).changes === 1),
  };
}
