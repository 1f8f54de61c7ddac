// Installs the packed tarballs into a throwaway project outside the workspace, as a developer would, and runs one
// three-hop session per way of consuming them. `node scripts/consumers/run.mjs [--tarballs dir]` after a build.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const packages = ['packages/core', 'packages/express-adapter', 'packages/fastify-adapter'];
const given = process.argv.indexOf('--tarballs');
const work = mkdtempSync(join(tmpdir(), 'rolax-consumers-'));
const started = Date.now();

// Generous: eight of these run side by side, and the typecheck alone takes a minute on a busy two-core machine.
const stepTimeoutMs = 240_000;

function run(args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, timeout: stepTimeoutMs });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code, signal) =>
      resolve({
        code,
        output: signal ? `${output}stopped by ${signal} (a step may take ${stepTimeoutMs / 1000} s)\n` : output,
      }),
    );
  });
}

function packAll(dest) {
  for (const dir of packages)
    execFileSync('npm', ['pack', '--silent', '--pack-destination', dest], { cwd: join(root, dir) });
}

try {
  const tarballs = given > 0 ? process.argv[given + 1] : join(work, 'tarballs');
  if (given < 0) {
    mkdirSync(tarballs);
    packAll(tarballs);
  }
  const tgz = (prefix) => {
    const file = readdirSync(tarballs).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
    if (!file) throw new Error(`no ${prefix} tarball in ${tarballs}`);
    return `file:${join(tarballs, file)}`;
  };
  const app = join(work, 'app');
  cpSync(join(here, 'project'), app, { recursive: true });
  // The README's example as the service's entry file: on a free port, exporting what the checks need.
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const example = /## A menu in 20 lines\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!example?.includes('await server.listen({ port: 3000 });')) throw new Error('README example not found');
  writeFileSync(
    join(app, 'readme.ts'),
    example.replace(
      'await server.listen({ port: 3000 });',
      "export const url = await server.listen({ port: 0, host: '127.0.0.1' });\nexport { server };",
    ),
  );
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  pkg.dependencies['@rolax/ussd-core'] = tgz('rolax-ussd-core-');
  pkg.dependencies['@rolax/ussd-express'] = tgz('rolax-ussd-express-');
  pkg.dependencies['@rolax/ussd-fastify'] = tgz('rolax-ussd-fastify-');
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    stdio: 'inherit',
  });
  for (const absent of ['vitest', 'tsx']) {
    if (existsSync(join(app, 'node_modules', absent))) throw new Error(`${absent} was installed into the consumer`);
  }
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const scenarios = [
    ['ESM TypeScript (nodenext, strict): the README example', [tsc, '-p', '.'], ['build/esm-ts.js']],
    ['CommonJS require of every entry', ['cjs.cjs']],
    ['Express 4 behind json()', ['express4.mjs']],
    ['Express 5 behind urlencoded() and json()', ['express5.mjs']],
    ['Fastify 5 with @fastify/formbody', ['fastify.mjs']],
    ["web-standard handler with Node's Request", ['web.mjs']],
    ['node:test with the tester and the fakes', ['--test', 'node-test.test.mjs']],
    ['rolax-ussd command', ['cli.mjs']],
  ];
  // Side by side: each is a separate process on its own ports, and the typecheck is the long one.
  const results = await Promise.all(
    scenarios.map(async ([name, ...steps]) => {
      const t = Date.now();
      let output = '';
      for (const args of steps) {
        const r = await run(args, app);
        output += r.output;
        if (r.code !== 0) return { name, ok: false, output, ms: Date.now() - t };
      }
      return { name, ok: true, output, ms: Date.now() - t };
    }),
  );
  const failed = results.filter((r) => !r.ok).length;
  for (const r of results) {
    console.log(`${r.ok ? 'pass' : 'FAIL'}  ${r.name} (${r.ms} ms)`);
    if (!r.ok) console.log(r.output.replace(/^/gm, '      '));
  }
  console.log(`consumers: ${scenarios.length - failed} passed, ${failed} failed in ${Date.now() - started} ms`);
  process.exitCode = failed > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
