// @ts-nocheck
// publint and arethetypeswrong on every published package, against the built dist folders.
import { execFileSync } from 'node:child_process';

const packages = ['packages/core', 'packages/express-adapter', 'packages/fastify-adapter'];
let failed = false;
for (const dir of packages) {
  for (const [cmd, args] of [
    ['publint', [dir, '--strict']],
    ['attw', ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync('npx', ['--no-install', cmd, ...args], { stdio: 'inherit' });
    } catch {
      console.error(`${cmd} found problems in ${dir}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
