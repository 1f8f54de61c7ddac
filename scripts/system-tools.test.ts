import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { findExecutable, systemTool } from './system-tools.js';

const empty = mkdtempSync(join(tmpdir(), 'rolax-path-'));

it('finds executables on the given PATH only', () => {
  expect(findExecutable('node', dirname(process.execPath))).toBe(process.execPath);
  expect(findExecutable('node', empty)).toBeUndefined();
});

it('skips tests needing a missing tool, except under CI=true where they must run', () => {
  expect(systemTool('redis-server', { PATH: empty })).toMatchObject({ skip: true, suite: '[needs redis-server]' });
  expect(systemTool('redis-server', { PATH: empty, CI: 'true' }).skip).toBe(false);
  expect(systemTool('chromium', { PATH: empty, CI: 'false' }).skip).toBe(true);
});
