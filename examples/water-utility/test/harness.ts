import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ussdTester } from '@rolax/ussd-core/testing';
import { loadConfig } from '../src/config.js';
import type { SqliteRepositories } from '../src/db/sqlite/index.js';
import { startWaterServer, type WaterServer } from '../src/server.js';

export const OPS_TOKEN = 'test-ops-token-0123456789';
export const OPS_PHONE = '+254700000001';

/** The whole service on loopback, demo mode, its own database folder; `log` receives its log lines, `now` sets its clock. */
export async function startService(
  dataDir = mkdtempSync(join(tmpdir(), 'rolax-water-')),
  log?: LogRecorder | undefined,
  env: Record<string, string> = {},
  now?: () => Date,
) {
  const server = await startWaterServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: log ? 'debug' : 'silent',
      OPS_TOKEN,
      OPS_PHONES: OPS_PHONE,
      ...env,
    }),
    { logStream: log?.stream, now },
  );
  return { server, dataDir, removeData: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** The SQLite handle under a service started by `startService` (tests reach past the repositories with it). */
export const sqliteOf = (server: WaterServer) => (server.repos as SqliteRepositories).db;

export function http(server: WaterServer) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const isForm = body instanceof URLSearchParams;
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body === undefined
          ? {}
          : { 'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : isForm ? body.toString() : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  };
  const ops = (method: string, path: string, body?: unknown) =>
    call(method, `/ops${path}`, body, { authorization: `Bearer ${OPS_TOKEN}` });
  return {
    call,
    ops,
    ussd: (phoneNumber: string) => ussdTester({ url: `${server.url}/ussd` }).session({ phoneNumber }),
    smsTo: async (phone: string) =>
      (await call('GET', `/dev/sms?to=${encodeURIComponent(phone)}`)).json as { text: string }[],
    incomingSms: (id: string, from: string, text: string) =>
      call('POST', '/sms/incoming', new URLSearchParams({ id, from, to: '40404', text, date: '2026-11-27 10:00:00' })),
  };
}

/** Polls until `check` passes or the time runs out; the outbox and webhooks are asynchronous by design. */
export async function eventually<T>(check: () => Promise<T>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export interface LogRecorder {
  stream: { write(line: string): void };
  /** Every line the service wrote, as written. */
  lines: string[];
}

/** Keeps every line the service's logger writes, at every level, exactly as it would reach the log. */
export function recordingLog(): LogRecorder {
  const lines: string[] = [];
  return { lines, stream: { write: (chunk: string) => void lines.push(...chunk.split('\n').filter(Boolean)) } };
}
