import { describe, expect, it } from 'vitest';
import { repositoryContract } from '../repository-contract.js';
import { usePostgres } from './test-server.js';

const pg = usePostgres();

repositoryContract('postgres', async (clock) => {
  const repos = await pg.repos(clock);
  return { repos, teardown: () => repos.close() };
});

describe('postgres transactions', () => {
  it('run again when the conflict that stopped them was reported by the outbox store', async () => {
    const repos = await pg.repos();
    try {
      // Each reads the outbox, then adds to it: SERIALIZABLE stops all but one of a clash, often inside the add,
      // where the core's store wraps the driver's error in its own.
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          repos.transaction(async (tx) => {
            await tx.outbox.get(`k${(i + 1) % 12}`);
            await new Promise((r) => setTimeout(r, 5));
            await tx.outbox.add({ key: `k${i}`, message: { to: ['+254711000111'], text: `m${i}` }, createdAt: i });
          }),
        ),
      );
      for (let i = 0; i < 12; i++) expect(await repos.outbox.get(`k${i}`)).not.toBeNull();
    } finally {
      await repos.close();
    }
  });
});
