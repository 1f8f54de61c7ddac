// A throwaway redis-server on a free loopback port for the redis rows of the bench, stopped when the run ends.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, Socket } from 'node:net';

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const answersPing = (port) =>
  new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(200, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });

/** Starts redis-server, or explains why the redis rows are skipped. */
export async function startRedis() {
  if (spawnSync('redis-server', ['--version']).error) {
    return { skipped: 'redis-server is not on PATH (apt-get install -y redis-server)' };
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let waited = 0; !(await answersPing(port)); waited += 50) {
    if (child.exitCode !== null || waited > 10_000) return { skipped: `redis-server did not start on port ${port}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
