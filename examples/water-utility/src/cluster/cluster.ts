// The whole demo on several processes: PostgreSQL, the shared gateway fakes, N service nodes, and the balancer in
// front of them (in this process). Used by `npm run start:cluster` and by the cluster tests.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type LocalPostgres, startLocalPostgres } from '../../../../scripts/postgres-server.js';
import { loadConfig } from '../config.js';
import { type Balancer, startBalancer } from './balancer.js';
import { freePort, type Launched, launch } from './launch.js';

export interface ClusterOptions {
  /** The balancer's port; 0 picks a free one. */
  port: number;
  /** The balancer's address; default 127.0.0.1. Nodes and fakes always listen on loopback. */
  host?: string | undefined;
  nodes: number;
  /** Logs (`logs/`) and the embedded PostgreSQL's data (`postgres/`, kept across runs). */
  dir: string;
  /** Environment every node gets (LOG_LEVEL, UTILITY_NAME, ...). DATABASE_URL there means: no embedded server. */
  env: Record<string, string | undefined>;
  /** Embedded PostgreSQL without fsync: for tests, never for data one wants to keep through a power cut. */
  fastPostgres?: boolean | undefined;
}

export interface ClusterNode {
  readonly name: string;
  readonly url: string;
  /** The running process; replaced by `restart`. */
  readonly process: Launched;
  restart(): Promise<void>;
}

export interface Cluster {
  balancer: Balancer;
  nodes: ClusterNode[];
  gateways: Launched;
  /** Where the nodes' database is, without credentials when it was given. */
  database: { url: string; embedded: LocalPostgres | undefined };
  stop(): Promise<void>;
}

async function ensureDatabase(server: LocalPostgres, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: server.url() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return server.url(name);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const logs = join(options.dir, 'logs');
  mkdirSync(logs, { recursive: true });
  // The nodes' configuration is checked here first, so a mistake is reported once rather than by every node.
  const base = {
    ...options.env,
    HOST: '127.0.0.1',
    // Every node must accept the same operations token; like `npm start`, a random one unless OPS_TOKEN is set.
    OPS_TOKEN: options.env.OPS_TOKEN || randomBytes(24).toString('base64url'),
  };
  const config = loadConfig({ ...base, DEMO_GATEWAYS_URL: 'http://127.0.0.1:1' });

  let embedded: LocalPostgres | undefined;
  let balancer: Balancer | undefined;
  let gateways: Launched | undefined;
  const current = new Map<string, Launched>();
  // Front to back: no new requests, the nodes finish theirs, then what they depend on goes.
  const stop = async () => {
    await balancer?.close();
    await Promise.all([...current.values()].map((p) => p.stop()));
    await gateways?.stop();
    await embedded?.stop();
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      embedded = await startLocalPostgres({ dataDir: join(options.dir, 'postgres'), fast: options.fastPostgres });
      databaseUrl = await ensureDatabase(embedded, 'water');
    }

    const upstreams = await Promise.all(
      Array.from({ length: options.nodes }, async (_, i) => ({
        name: `node-${i + 1}`,
        url: `http://127.0.0.1:${await freePort()}`,
      })),
    );
    balancer = await startBalancer({ upstreams, port: options.port, host: options.host });

    // The providers call back through the balancer, as they would call the service's public address.
    const callbacks = `${balancer.url}${config.callbackToken ? `/${config.callbackToken}` : ''}`;
    const gatewaysPort = await freePort();
    gateways = await launch({
      name: 'gateways',
      entry: 'src/cluster/gateways-process.ts',
      env: {
        ...process.env,
        PORT: String(gatewaysPort),
        PAYMENT_WEBHOOK_URL: `${callbacks}${config.paths.intasendWebhook}`,
        DELIVERY_REPORT_URL: `${callbacks}${config.paths.smsDelivery}`,
      },
      url: `http://127.0.0.1:${gatewaysPort}`,
      logFile: join(logs, 'gateways.log'),
    });

    const startNode = async (u: { name: string; url: string }) => {
      const env = { ...base, PORT: new URL(u.url).port, DATABASE_URL: databaseUrl, DEMO_GATEWAYS_URL: gateways!.url };
      current.set(
        u.name,
        await launch({ name: u.name, entry: 'src/main.ts', env, url: u.url, logFile: join(logs, `${u.name}.log`) }),
      );
    };
    // Started together: the first takes the migration lock, the others wait for it and find nothing to do.
    // Settled, not raced: a node still starting when another fails must be in `current` to be stopped.
    const started = await Promise.allSettled(upstreams.map(startNode));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const nodes: ClusterNode[] = upstreams.map((u) => ({
      name: u.name,
      url: u.url,
      get process() {
        return current.get(u.name)!;
      },
      async restart() {
        await current.get(u.name)!.stop();
        await startNode(u);
      },
    }));

    return {
      balancer,
      nodes,
      gateways,
      database: { url: embedded ? databaseUrl : 'DATABASE_URL', embedded },
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
