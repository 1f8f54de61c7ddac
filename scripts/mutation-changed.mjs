// The CI mutation gate: mutates only the source files changed since a base commit (MUTATION_BASE, default the
// previous commit), within the folders `npm run test:mutation` covers, and fails below the configured
// `thresholds.break`. Results of unchanged mutants are reused from the incremental file when it is present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import config from '../stryker.config.mjs';

const folders = config.mutate.filter((g) => !g.startsWith('!')).map((g) => g.replace(/\*\*.*$/, ''));
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();

let base = process.env.MUTATION_BASE ?? 'HEAD~1';
try {
  base = git('rev-parse', '--verify', '--quiet', `${base}^{commit}`);
} catch {
  console.log(`mutation gate: base ${base} not found; nothing to compare against, skipped`);
  process.exit(0);
}
const changed = git('diff', '--name-only', '--diff-filter=AMR', base, 'HEAD', '--', ...folders)
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('/index.ts') && existsSync(f));

if (changed.length === 0) {
  console.log(`mutation gate: no mutated source changed since ${base.slice(0, 12)}`);
  process.exit(0);
}
console.log(`mutation gate: ${changed.length} file(s) changed since ${base.slice(0, 12)}:\n  ${changed.join('\n  ')}`);
const args = ['--no-install', 'stryker', 'run', '--mutate', changed.join(','), '--incremental'];
args.push('--concurrency', process.env.MUTATION_CONCURRENCY ?? '2');
const run = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(run.status ?? 1);
