import { statsContract } from '../stats-contract.js';
import { createPgContext } from './context.js';
import { postgresServiceStats } from './stats.js';
import { usePostgres } from './test-server.js';

const pg = usePostgres();

statsContract('postgres', async () => {
  const repos = await pg.repos();
  return { repos, stats: postgresServiceStats(createPgContext(repos.pool, () => new Date())) };
});
