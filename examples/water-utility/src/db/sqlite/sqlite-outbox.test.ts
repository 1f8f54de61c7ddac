import { outboxStoreContract } from '@rolax/ussd-core/testing/vitest';
import { openSqliteRepositories } from './index.js';

outboxStoreContract('sqlite', async () => {
  const repos = openSqliteRepositories({ file: ':memory:' });
  return { store: repos.outbox, teardown: () => repos.close() };
});
