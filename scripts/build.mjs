// Builds every published package from empty dist folders, then drops what no one can load.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const packages = ['packages/core', 'packages/express-adapter', 'packages/fastify-adapter'];
for (const dir of packages) rmSync(`${dir}/dist`, { recursive: true, force: true });
execFileSync('npx', ['--no-install', 'tsup'], { stdio: 'inherit' });
// `rolax-ussd` is an ESM command: its CommonJS build is never run.
rmSync('packages/core/dist/cli.cjs', { force: true });
