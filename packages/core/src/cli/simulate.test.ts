import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { scenarioApp } from '../testing/scenario-app.js';
import { simulate } from './simulate.js';

describe('rolax-ussd simulate', () => {
  it('runs a whole session against a callback over HTTP and shows each screen against the budget', async () => {
    const { app } = scenarioApp();
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const a = await app.handleHttp({ body });
        res.writeHead(a.status, { 'content-type': a.contentType }).end(a.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c) => (printed += c));
    input.end('1\n1001\n');
    const code = await simulate({ url, phone: '+254711000111', code: '*384*123#', network: '63902', input, output });
    server.close();
    expect(code).toBe(0);
    expect(printed).toContain('Scenario\n1. Balance');
    expect(printed).toContain('[CON] 23/160 GSM-7 - fits');
    expect(printed).toContain('Account 1001: KES 2002');
    expect(printed).toMatch(/\[END\] \d+\/160 GSM-7 - fits/);
  });
});
