// @ts-nocheck
import { repositoryContract } from '../repository-contract.js';
import { openSqliteRepositories } from './index.js';

repositoryContract('sqlite', async (clock) => {
  const repos = openSqliteRepositories({ file: ':memory:', now: clock.now });
  return { repos, teardown: () => repos.close() };
});
