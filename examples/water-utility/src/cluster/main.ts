// `npm run start:cluster`: the demo on several nodes, one PostgreSQL and a round-robin balancer on PORT.
// CLUSTER_NODES (default 3) sets the node count; CLUSTER_DIR (default DATA_DIR/cluster) holds the logs and the
// embedded PostgreSQL's data, which is kept from one run to the next.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isUssdError } from '@rolax/ussd-core';
import { type Cluster, startCluster } from './cluster.js';

const env = process.env;
const port = env.PORT ? Number(env.PORT) : 3000;
const nodes = env.CLUSTER_NODES ? Number(env.CLUSTER_NODES) : 3;
const dir = env.CLUSTER_DIR || join(env.DATA_DIR || 'data', 'cluster');
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(nodes) || nodes < 1 || nodes > 16) {
  process.stderr.write('PORT must be 0 to 65535 and CLUSTER_NODES 1 to 16\n');
  process.exit(1);
}

let cluster: Cluster | undefined;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  // A signal during start-up is answered once everything started is known, so that nothing is left behind.
  process.stdout.write(cluster ? 'stopping the cluster\n' : 'stopping the cluster once it has started\n');
  if (!cluster) return;
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  // The nodes' own PORT and HOST are the cluster's to choose; the rest of the environment is theirs.
  const { PORT: _port, HOST: host, ...nodeEnv } = env;
  cluster = await startCluster({ port, host: host || '0.0.0.0', nodes, dir, env: nodeEnv });
} catch (err) {
  process.stderr.write(`the cluster did not start: ${isUssdError(err) ? err.message : String(err)}\n`);
  process.exit(1);
}
if (stopping) {
  await cluster.stop();
  process.exit(0);
}

const publicUrl = cluster.balancer.url.replace('127.0.0.1', 'localhost');
const shown = (path: string) => {
  const near = relative(process.cwd(), path);
  return near.startsWith('..') || isAbsolute(near) ? resolve(path) : near;
};
const pg = cluster.database.embedded;
const rows: [string, string][] = [
  ['balancer', `${publicUrl}  round-robin over ${nodes} node${nodes === 1 ? '' : 's'}; gateways call back here`],
  ['simulator', `${publicUrl}/simulator`],
  ...cluster.nodes.map((n): [string, string] => [n.name, `${n.url}  pid ${n.process.pid}`]),
  ['gateways', `${cluster.gateways.url}  pid ${cluster.gateways.pid}  Africa's Talking and IntaSend fakes, shared`],
  [
    'postgres',
    pg
      ? `${cluster.database.url}  pid ${pg.pid}  ${pg.source}, data in ${shown(join(dir, 'postgres'))}`
      : 'DATABASE_URL (given)',
  ],
  ['logs', `${shown(join(dir, 'logs'))}/`],
];
process.stdout.write(
  [
    '',
    `rolax water cluster (demo): ${nodes} nodes on one PostgreSQL`,
    '',
    ...rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`),
    '',
    `  try:  npm run cli -- simulate --url ${publicUrl}/ussd --phone 0711000111`,
    `        kill -9 a node's pid and keep dialling: the others carry on`,
    `  Ctrl-C (or kill ${process.pid}) stops everything.`,
    '',
    '',
  ].join('\n'),
);

for (const n of cluster.nodes) {
  void n.process.exited.then((code) => {
    if (!stopping) process.stderr.write(`${n.name} (pid ${n.process.pid}) exited (${code ?? 'killed'})\n`);
  });
}
