// @ts-nocheck
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteRepositories } from './index.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from './migrations.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'water-db-'));
  dirs.push(dir);
  return join(dir, 'nested', 'water.sqlite');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('runs once; a second run changes nothing', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['accounts', 'bills', 'issues', 'meter_readings', 'outbox', 'payments', 'sms_log']),
    );
    db.close();
  });

  it('refuses a database written by a newer version', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this service knows/);
    db.close();
  });

  it('creates the folder and file, with WAL and foreign keys on', async () => {
    const file = tempFile();
    const repos = openSqliteRepositories({ file });
    expect(repos.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(repos.db.pragma('foreign_keys', { simple: true })).toBe(1);
    await expect(repos.meters.upsert({ id: 'M1', account: 'missing', sensorId: 'S1' })).rejects.toThrow(/FOREIGN KEY/);
    await repos.close();
  });

  it('keeps the data across a restart and migrates nothing twice', async () => {
    const file = tempFile();
    const first = openSqliteRepositories({ file });
    await first.accounts.upsert({ number: '1001', name: 'Jane', zone: 'A', location: 'Kahawa' });
    const ref = await first.issues.nextReference();
    await first.close();

    const second = openSqliteRepositories({ file });
    expect((await second.accounts.get('1001'))?.name).toBe('Jane');
    // The issue sequence survives too: no reference is handed out twice.
    expect(await second.issues.nextReference()).not.toBe(ref);
    expect(second.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    await second.close();
  });
});
