// @ts-nocheck
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPostgres, startLocalPostgres } from '../../../../scripts/postgres-server.js';
import { outboxStoreContract } from '../testing/contracts/outbox-store.js';
import { sessionStoreContract } from '../testing/session-store-contract.js';
import { postgresOutboxStore } from './outbox-store.js';
import { postgresStoreSchema } from './schema.js';
import { postgresSessionStore } from './session-store.js';

// A real server from the npm package (not the system one), so this file proves the path a fresh machine takes.
let server: LocalPostgres;
let pool: pg.Pool;
let schemas = 0;

beforeAll(async () => {
  server = await startLocalPostgres({ binaries: 'embedded', fast: true });
  pool = newPool(8);
}, 60_000);

function newPool(max: number): pg.Pool {
  const p = new pg.Pool({ connectionString: server.url(), max });
  // An idle client's error (the server going away at teardown) is the pool's to report, not an uncaught one.
  p.on('error', () => undefined);
  return p;
}

afterAll(async () => {
  await pool?.end();
  await server?.destroy();
});

/** Fresh tables in their own schema for each test. */
async function freshTables(): Promise<{ sessions: string; outbox: string }> {
  const schema = `s${++schemas}`;
  await pool.query(`CREATE SCHEMA ${schema}`);
  const tables = { sessions: `${schema}.sessions`, outbox: `${schema}.outbox` };
  await pool.query(postgresStoreSchema(tables));
  return tables;
}

sessionStoreContract('postgres', async () => {
  const { sessions } = await freshTables();
  let offset = 0;
  return {
    store: postgresSessionStore({ pool, table: sessions, now: () => Date.now() + offset }),
    advance: async (ms) => {
      offset += ms;
    },
  };
});

outboxStoreContract('postgres', async () => {
  const { outbox } = await freshTables();
  return { store: postgresOutboxStore({ pool, table: outbox }) };
});

describe('postgres outbox across nodes', () => {
  it('hands every item to exactly one of many workers on separate pools', async () => {
    const { outbox } = await freshTables();
    const pools = Array.from({ length: 3 }, () => newPool(3));
    try {
      const stores = pools.map((p) => postgresOutboxStore({ pool: p, table: outbox }));
      const first = stores[0]!;
      for (let i = 0; i < 200; i++) {
        await first.add({ key: `k${i}`, message: { to: ['+254711000111'], text: `m${i}` }, createdAt: 1_000 + i });
      }
      const claimed: string[] = [];
      await Promise.all(
        stores.flatMap((store) =>
          Array.from({ length: 3 }, async () => {
            for (;;) {
              const items = await store.claimDue(10_000, 7, 60_000);
              if (items.length === 0) return;
              for (const item of items) {
                claimed.push(item.key);
                await store.markSent(item.key, { recipients: [{ to: '+254711000111', status: 'accepted' }] }, 1);
              }
            }
          }),
        ),
      );
      expect(claimed).toHaveLength(200);
      expect(new Set(claimed).size).toBe(200);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('reports a store failure as a STORE error without the key', async () => {
    const store = postgresSessionStore({ pool, table: 'missing_table' });
    await expect(store.get('resume:+254711000111')).rejects.toMatchObject({ code: 'STORE' });
    await expect(store.get('resume:+254711000111')).rejects.not.toThrow(/254711000111/);
  });
});
