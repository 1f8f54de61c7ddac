// publint and arethetypeswrong on every published package, then what each tarball holds: only what a user needs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const packages = ['packages/core', 'packages/express-adapter', 'packages/fastify-adapter'];
let failed = false;
const fail = (message) => {
  console.error(message);
  failed = true;
};
for (const dir of packages) {
  for (const [cmd, args] of [
    ['publint', [dir, '--strict']],
    ['attw', ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync('npx', ['--no-install', cmd, ...args], { stdio: 'inherit' });
    } catch {
      fail(`${cmd} found problems in ${dir}`);
    }
  }
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: dir }));
  const files = packed.files.map((f) => f.path);
  for (const needed of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']) {
    if (!files.includes(needed)) fail(`${packed.name}: the tarball has no ${needed}`);
  }
  for (const f of packed.files) {
    if (f.path.endsWith('.map')) fail(`${packed.name}: ships a source map, ${f.path}`);
    if (/(^|\/)cli\.(cjs|d\.c?ts)$/.test(f.path)) fail(`${packed.name}: ships ${f.path}, which nothing loads`);
    if (f.size < 64 && /\.(c?js|d\.c?ts)$/.test(f.path)) fail(`${packed.name}: ships an empty ${f.path}`);
  }
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'license']) {
    if (!pkg[field]) fail(`${packed.name}: package.json has no ${field}`);
  }
  if (pkg.publishConfig?.access !== 'public') fail(`${packed.name}: publishConfig.access is not public`);
  console.log(`${packed.name}: ${packed.entryCount} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked`);
}
process.exit(failed ? 1 : 0);
