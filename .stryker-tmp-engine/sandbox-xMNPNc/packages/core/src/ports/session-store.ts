/**
 * Where session envelopes live between requests. Stores move strings; the engine owns serialization.
 * `setIfAbsent` and `deleteIfEquals` are the two primitives per-session serialization is built on
 * (SET NX PX and a compare-and-delete in Redis; a conditional insert and delete in SQL).
 */
// @ts-nocheck

export interface SessionStore {
  readonly name: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Stores the value only when the key is absent or expired. Returns true when it stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only while it still holds `value`. Returns true when it deleted. */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  dispose?(): Promise<void>;
}
