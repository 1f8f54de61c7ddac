// The CI mutation gate: mutates the source files changed since a base commit (MUTATION_BASE, default the previous
// commit) within the folders `npm run test:mutation` covers, plus the source file a changed test is named for
// (`x.test.ts` -> `x.ts`), so deleting or weakening a test is measured too. Fails below `thresholds.break`.
// Results of unchanged mutants are reused from the incremental file when it is present.
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

const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('/index.ts');
// A test file's subject: `payments.property.test.ts` and `payments.test.ts` both measure `payments.ts`.
const subjectOf = (f) => f.replace(/(\.[a-z-]+)?\.test\.ts$/, '.ts');
const touched = git('diff', '--name-only', '--diff-filter=AMRD', base, 'HEAD', '--', ...folders)
  .split('\n')
  .filter(Boolean);
const changed = [
  ...new Set(
    touched.map((f) => (f.endsWith('.test.ts') ? subjectOf(f) : f)).filter((f) => isSource(f) && existsSync(f)),
  ),
].sort();

if (changed.length === 0) {
  console.log(`mutation gate: no mutated source or its test changed since ${base.slice(0, 12)}`);
  process.exit(0);
}
console.log(
  `mutation gate: ${changed.length} file(s) to measure since ${base.slice(0, 12)}:\n  ${changed.join('\n  ')}`,
);
const args = ['--no-install', 'stryker', 'run', '--mutate', changed.join(','), '--incremental'];
args.push('--concurrency', process.env.MUTATION_CONCURRENCY ?? '2');
const run = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(run.status ?? 1);
