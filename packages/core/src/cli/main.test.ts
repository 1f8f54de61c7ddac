import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/broken-menu.ts', import.meta.url));
const serverFixture = fileURLToPath(new URL('./fixtures/server-entry.ts', import.meta.url));
const water = fileURLToPath(new URL('../../../../examples/water-utility/src/ussd/menu.ts', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('rolax-ussd', () => {
  it('lint exits 1 and names each problem of a broken menu', () => {
    const r = run('lint', fixture);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/error\s+unreachable\s+no path reaches "orphan"/);
    expect(r.stdout).toMatch(/error\s+dead-end\s+no END screen can be reached from "home"/);
    expect(r.stdout).toContain('broken: 3 error(s), 0 warning(s)');
  });

  it('lint exits 0 on the water menu', () => {
    const r = run('lint', water);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('rolax-water: 0 error(s), 0 warning(s)');
    expect(r.status).toBe(0);
  });

  it('prints a Mermaid diagram', () => {
    const r = run('diagram', fixture);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(r.stdout).toContain('home -->|"1. Loop"| loop');
  });

  it('answers --help and -h with the usage on stdout and exit 0, and --version with the version', () => {
    for (const flag of ['--help', '-h']) {
      const r = run(flag);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Usage: rolax-ussd <command>');
      expect(r.stderr).toBe('');
    }
    expect(run('lint', '--help').status).toBe(0);
    const v = run('--version');
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reads the menu of a module that starts a server when imported, then exits', () => {
    const started = Date.now();
    const r = run('lint', serverFixture);
    expect(r.stdout).toContain('sacco: 0 error(s), 0 warning(s)');
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('explains its usage and refuses unknown commands', () => {
    expect(run().status).toBe(2);
    const r = run('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(run('simulate', '--url', 'http://127.0.0.1:9/').stderr).toContain('simulate needs --url and --phone');
  });
});
