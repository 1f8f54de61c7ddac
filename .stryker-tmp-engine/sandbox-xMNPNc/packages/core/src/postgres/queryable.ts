// @ts-nocheck
import { UssdError } from '../errors.js';

/**
 * The one call the PostgreSQL stores make, in node-postgres's shape: a `pg.Pool` or `pg.Client` fits as is, and
 * so does anything that routes queries to a transaction's client. The caller owns it: the stores never connect,
 * end or build one.
 */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}

/** Runs a query; a failure becomes `UssdError('STORE')` naming the operation only (keys can hold phone numbers). */
export async function storeQuery<Row>(
  pool: PgQueryable,
  operation: string,
  text: string,
  values: unknown[],
): Promise<{ rows: Row[]; rowCount: number }> {
  try {
    const result = await pool.query(text, values);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new UssdError('STORE', `postgres ${operation} failed: ${reason}`, { cause });
  }
}

/** A table name as given, checked so it can be spliced into SQL: `name` or `schema.name`. */
export function tableName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) {
    throw new UssdError('CONFIG', `invalid PostgreSQL table name: ${name}`);
  }
  return name;
}
