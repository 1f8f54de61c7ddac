import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian packages some tests drive for real; a fresh machine has neither. */
export type SystemTool = 'redis-server' | 'chromium';

export const installLine = 'apt-get install -y redis-server chromium';

/** Where `name` would run from on this PATH, or undefined. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

/**
 * Whether the tests needing `tool` run here. They run when it is on PATH, and always under CI=true (where a missing
 * tool fails them); otherwise they are skipped, and the suite named here tells the summary what to install.
 */
export function systemTool(tool: SystemTool, env: NodeJS.ProcessEnv = process.env) {
  const path = findExecutable(tool, env.PATH);
  return { tool, path, skip: !path && env.CI !== 'true', suite: `[needs ${tool}]` };
}
