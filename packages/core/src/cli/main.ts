#!/usr/bin/env node
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { menuToMermaid } from '../menu/diagram.js';
import { lintMenu } from '../menu/lint.js';
import { loadMenuModule } from './load-menu.js';
import { normalizePhone, simulate } from './simulate.js';

const usage = `Usage: rolax-ussd <command> [options]

Commands:
  simulate --url <callback> --phone <msisdn> [--code *384*123#] [--network 63902]
      Dial any Africa's Talking-style callback from the terminal. Local numbers (0711000111) become +254...
  diagram <module> [--export name]
      Print a Mermaid diagram of the menu the module exports (.js, .mjs, .cjs or .ts).
  lint <module> [--export name] [--gateway arkesel|nalo|hubtel|africastalking]
      Report unreachable screens, dead ends, key collisions, screens over budget and keys a late gateway retry
      would press again (checked unless the gateway recognises every retry); exits 1 on errors.

Options:
  -h, --help       Show this help.
  -v, --version    Show the version.
`;

function version(): string {
  // dist/cli.js sits next to package.json's folder in the published package.
  const require = createRequire(import.meta.url);
  for (const p of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(p) as { name?: string; version?: string };
      if (pkg.name === '@rolax/ussd-core' && pkg.version) return pkg.version;
    } catch {}
  }
  return 'unknown';
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      phone: { type: 'string' },
      code: { type: 'string', default: '*384*123#' },
      network: { type: 'string', default: '63902' },
      export: { type: 'string' },
      gateway: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const [command, ...args] = positionals;
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (values.help || command === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  if (!command) {
    process.stderr.write(usage);
    return 2;
  }
  if (command === 'simulate') {
    if (!values.url || !values.phone) {
      process.stderr.write('simulate needs --url and --phone\n');
      return 2;
    }
    return simulate({
      url: values.url,
      phone: normalizePhone(values.phone),
      code: values.code!,
      network: values.network!,
      input: process.stdin,
      output: process.stdout,
    });
  }
  if (command === 'diagram' || command === 'lint') {
    const path = args[0];
    if (!path) {
      process.stderr.write(`${command} needs a module path\n`);
      return 2;
    }
    const def = await loadMenuModule(path, values.export);
    if (command === 'diagram') {
      process.stdout.write(menuToMermaid(def));
      return 0;
    }
    const findings = lintMenu(def, { gateway: values.gateway });
    for (const f of findings) process.stdout.write(`${f.level.padEnd(7)} ${f.rule.padEnd(19)} ${f.message}\n`);
    const errors = findings.filter((f) => f.level === 'error').length;
    process.stdout.write(`${def.id}: ${errors} error(s), ${findings.length - errors} warning(s)\n`);
    return errors > 0 ? 1 : 0;
  }
  process.stderr.write(`unknown command "${command}"\n\n${usage}`);
  return 2;
}

// Exit once the output is flushed: a module that started a server or a timer when imported must not keep us alive.
const exit = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));

main(process.argv.slice(2)).then(exit, (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  exit(err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
});
