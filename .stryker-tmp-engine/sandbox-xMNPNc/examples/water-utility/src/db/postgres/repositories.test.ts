// @ts-nocheck
import { repositoryContract } from '../repository-contract.js';
import { usePostgres } from './test-server.js';

const pg = usePostgres();

repositoryContract('postgres', async (clock) => {
  const repos = await pg.repos(clock);
  return { repos, teardown: () => repos.close() };
});
