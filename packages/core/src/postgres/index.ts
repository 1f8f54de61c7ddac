/** @module @rolax/ussd-core/postgres */
export type { PostgresOutboxStoreOptions } from './outbox-store.js';
export { postgresOutboxStore } from './outbox-store.js';
export type { PgQueryable } from './queryable.js';
export type { PostgresTables } from './schema.js';
export { postgresStoreSchema } from './schema.js';
export type { PostgresSessionStoreOptions } from './session-store.js';
export { postgresSessionStore } from './session-store.js';
