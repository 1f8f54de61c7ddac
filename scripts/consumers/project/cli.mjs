// The installed rolax-ussd command: help, version, a .ts menu with no tsx installed, a module that starts a server,
// and a local phone number completed before it is dialled.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { decodeGatewayBody, readNodeBody } from '@rolax/ussd-core/http';
import { scenarioApp } from '@rolax/ussd-core/testing';

const bin = 'node_modules/.bin/rolax-ussd';
const run = (...args) => spawnSync(bin, args, { encoding: 'utf8', timeout: 30_000 });

for (const flag of ['--help', '-h']) {
  const r = run(flag);
  assert.equal(r.status, 0, `${flag}: ${r.stderr}`);
  assert.match(r.stdout, /Usage: rolax-ussd/);
}
const v = run('--version');
assert.equal(v.status, 0);
assert.equal(v.stdout.trim(), '0.1.0');

// readme.ts starts a server when imported: the command reads the menu and exits.
const lint = run('lint', 'readme.ts');
assert.equal(lint.status, 0, lint.stdout + lint.stderr);
assert.match(lint.stdout, /sacco: 0 error\(s\), 0 warning\(s\)/);
const diagram = run('diagram', 'readme.ts');
assert.equal(diagram.status, 0, diagram.stderr);
assert.match(diagram.stdout, /^flowchart TD/);

const { app } = scenarioApp();
const phones = [];
const server = createServer(async (req, res) => {
  const body = decodeGatewayBody(await readNodeBody(req), req.headers['content-type']);
  phones.push(new URLSearchParams(body).get('phoneNumber'));
  const answer = await app.handleHttp({ body, remoteAddress: req.socket.remoteAddress });
  res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const child = spawn(bin, ['simulate', '--url', `http://127.0.0.1:${server.address().port}/`, '--phone', '0711000111']);
let out = '';
child.stdout.on('data', (d) => {
  out += d;
});
child.stdin.end('1\n1001\n');
const code = await new Promise((r) => child.on('exit', r));
server.close();
assert.equal(code, 0, out);
assert.match(out, /Account 1001: KES 2002/);
assert.deepEqual([...new Set(phones)], ['+254711000111']);
