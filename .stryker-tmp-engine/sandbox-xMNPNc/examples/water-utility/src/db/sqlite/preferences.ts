// @ts-nocheck
import type { Language } from '../../domain/model.js';
import type { PreferenceRepository } from '../../domain/ports.js';
import { isoNow, type SqliteContext } from './context.js';

export function sqlitePreferences(ctx: SqliteContext): PreferenceRepository {
  const { db, exec } = ctx;
  const get = db.prepare<[string], { language: Language }>('SELECT language FROM phone_preferences WHERE phone = ?');
  const set = db.prepare<[string, string, string]>(
    `INSERT INTO phone_preferences (phone, language, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (phone) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at`,
  );
  return {
    getLanguage: (phone) => exec.run(() => get.get(phone)?.language ?? null),
    setLanguage: (phone, language) =>
      exec.run(() => {
        set.run(phone, language, isoNow(ctx));
      }),
  };
}
