import { sessionStoreContract } from '@rolax/ussd-core/testing/vitest';
import { memoryRepos } from '../test-support.js';
import { createExecutor } from './executor.js';
import { sqliteSessionStore } from './sessions.js';

sessionStoreContract('sqlite', async () => {
  const repos = memoryRepos();
  let offset = 0;
  const store = sqliteSessionStore(
    { db: repos.db, exec: createExecutor(repos.db), now: () => new Date() },
    () => Date.now() + offset,
  );
  return {
    store,
    advance: async (ms) => {
      offset += ms;
    },
    teardown: () => repos.close(),
  };
});
