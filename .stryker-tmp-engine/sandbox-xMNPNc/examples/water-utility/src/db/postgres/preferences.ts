// @ts-nocheck
import type { Language } from '../../domain/model.js';
import type { PreferenceRepository } from '../../domain/ports.js';
import { isoNow, type PgContext } from './context.js';

export function postgresPreferences(ctx: PgContext): PreferenceRepository {
  return {
    getLanguage: async (phone) =>
      (await ctx.one<{ language: Language }>('SELECT language FROM phone_preferences WHERE phone = $1', [phone]))
        ?.language ?? null,
    setLanguage: async (phone, language) => {
      await ctx.run(
        `INSERT INTO phone_preferences (phone, language, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (phone) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at`,
        [phone, language, isoNow(ctx)],
      );
    },
  };
}
