import { statsContract } from '../stats-contract.js';
import { openSqliteRepositories } from './index.js';
import { sqliteServiceStats } from './stats.js';

statsContract('sqlite', async () => {
  const repos = openSqliteRepositories({ file: ':memory:' });
  return { repos, stats: sqliteServiceStats(repos.db) };
});
