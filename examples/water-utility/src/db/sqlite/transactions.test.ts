import { describe, expect, it } from 'vitest';
import { memoryRepos } from '../test-support.js';

const account = (number: string) => ({ number, name: `A ${number}`, zone: 'A', location: 'Kahawa' });

describe('repository transactions', () => {
  it('commits everything together', async () => {
    const repos = memoryRepos();
    await repos.transaction(async (tx) => {
      await tx.accounts.upsert(account('1'));
      await tx.accounts.upsert(account('2'));
    });
    expect((await repos.accounts.list()).map((a) => a.number)).toEqual(['1', '2']);
  });

  it('rolls everything back when the function throws', async () => {
    const repos = memoryRepos();
    await expect(
      repos.transaction(async (tx) => {
        await tx.accounts.upsert(account('1'));
        await tx.outbox.add({ key: 'k', message: { to: ['+254711000111'], text: 'x' }, createdAt: 1 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await repos.accounts.list()).toEqual([]);
    expect(await repos.outbox.get('k')).toBeNull();
  });

  it('keeps a concurrent call out of an open transaction', async () => {
    const repos = memoryRepos();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tx = repos.transaction(async (t) => {
      await t.accounts.upsert(account('1'));
      await gate;
      throw new Error('rolled back');
    });
    // Issued while the transaction is open: it must run after it, not inside it.
    const outside = repos.accounts.upsert(account('2'));
    await new Promise((r) => setTimeout(r, 10));
    release();
    await expect(tx).rejects.toThrow('rolled back');
    await outside;
    expect((await repos.accounts.list()).map((a) => a.number)).toEqual(['2']);
  });

  it('runs a nested transaction as a savepoint', async () => {
    const repos = memoryRepos();
    await repos.transaction(async (tx) => {
      await tx.accounts.upsert(account('1'));
      await expect(
        tx.transaction(async (inner) => {
          await inner.accounts.upsert(account('2'));
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.accounts.upsert(account('3'));
    });
    expect((await repos.accounts.list()).map((a) => a.number)).toEqual(['1', '3']);
  });

  it('keeps the transactions of two databases apart when one runs inside the other', async () => {
    const a = memoryRepos();
    const b = memoryRepos();
    await expect(
      a.transaction(async (ta) => {
        await ta.accounts.upsert(account('1'));
        await b.transaction(async (tb) => {
          await tb.accounts.upsert(account('2'));
          // Back on the first database from inside the second's transaction: still inside the first's.
          await ta.accounts.upsert(account('3'));
        });
        throw new Error('undo the first');
      }),
    ).rejects.toThrow('undo the first');
    expect(await a.accounts.list()).toEqual([]);
    expect((await b.accounts.list()).map((x) => x.number)).toEqual(['2']);
  });
});
