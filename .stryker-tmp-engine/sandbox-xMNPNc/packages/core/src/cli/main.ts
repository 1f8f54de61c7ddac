#!/usr/bin/env node
// @ts-nocheck
import { parseArgs } from 'node:util';
import { menuToMermaid } from '../menu/diagram.js';
import { lintMenu } from '../menu/lint.js';
import { loadMenuModule } from './load-menu.js';
import { simulate } from './simulate.js';

const usage = `rolax-ussd <command>

  simulate --url <callback> --phone <msisdn> [--code *384*123#] [--network 63902]
      Dial any Africa's Talking-style callback from the terminal.
  diagram <module> [--export name]
      Print a Mermaid diagram of the menu the module exports.
  lint <module> [--export name]
      Report unreachable screens, dead ends, key collisions and screens over budget; exits 1 on errors.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      phone: { type: 'string' },
      code: { type: 'string', default: '*384*123#' },
      network: { type: 'string', default: '63902' },
      export: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!command || values.help || command === 'help') {
    process.stdout.write(usage);
    return command ? 0 : 2;
  }
  if (command === 'simulate') {
    if (!values.url || !values.phone) {
      process.stderr.write('simulate needs --url and --phone\n');
      return 2;
    }
    return simulate({
      url: values.url,
      phone: values.phone,
      code: values.code!,
      network: values.network!,
      input: process.stdin,
      output: process.stdout,
    });
  }
  if (command === 'diagram' || command === 'lint') {
    const path = positionals[0];
    if (!path) {
      process.stderr.write(`${command} needs a module path\n`);
      return 2;
    }
    const def = await loadMenuModule(path, values.export);
    if (command === 'diagram') {
      process.stdout.write(menuToMermaid(def));
      return 0;
    }
    const findings = lintMenu(def);
    for (const f of findings) process.stdout.write(`${f.level.padEnd(7)} ${f.rule.padEnd(19)} ${f.message}\n`);
    const errors = findings.filter((f) => f.level === 'error').length;
    process.stdout.write(`${def.id}: ${errors} error(s), ${findings.length - errors} warning(s)\n`);
    return errors > 0 ? 1 : 0;
  }
  process.stderr.write(`unknown command "${command}"\n\n${usage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
