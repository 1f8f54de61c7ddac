// Child processes of the local cluster: a TypeScript entry run by Node through tsx (one process, so its pid is
// the one to signal), its output appended to a log file, ready once its /healthz answers 200.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The water-utility workspace: entries are relative to it, and tsx resolves from it. */
export const WORKSPACE = fileURLToPath(new URL('../..', import.meta.url));

export interface Launched {
  readonly name: string;
  readonly pid: number;
  /** Base URL the process serves on. */
  readonly url: string;
  readonly logFile: string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: the process dies at once, mid-work, as on a crash. */
  kill(): Promise<void>;
}

export interface LaunchOptions {
  name: string;
  /** Path of the entry, relative to the workspace, e.g. `src/main.ts`. */
  entry: string;
  env: Record<string, string | undefined>;
  /** Base URL it will serve on (its port is set in `env`). */
  url: string;
  logFile: string;
  /** How long it may take to answer /healthz; default 60 s. */
  readyTimeoutMs?: number | undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export async function launch(options: LaunchOptions): Promise<Launched> {
  const out = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', options.entry], {
      cwd: WORKSPACE,
      env: options.env,
      stdio: ['ignore', out, out],
    });
  } finally {
    closeSync(out);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const launched: Launched = {
    name: options.name,
    pid: child.pid ?? -1,
    url: options.url,
    logFile: options.logFile,
    exited,
    alive,
    async stop(graceMs = 10_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (!alive()) {
      throw new Error(`${options.name} exited with ${child.exitCode ?? child.signalCode}:\n${tail(options.logFile)}`);
    }
    try {
      const res = await fetch(`${options.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.ok) return launched;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await launched.kill();
      throw new Error(`${options.name} did not become healthy in time:\n${tail(options.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
