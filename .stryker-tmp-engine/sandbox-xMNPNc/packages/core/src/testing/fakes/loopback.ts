// @ts-nocheck
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Start, address and stop of a test server on 127.0.0.1 with a free port. */
export function loopback(server: Server, name: string) {
  let baseUrl: string | undefined;
  return {
    get url(): string {
      if (!baseUrl) throw new Error(`${name}: call start() first`);
      return baseUrl;
    },
    async start(): Promise<string> {
      if (baseUrl) return baseUrl;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return baseUrl;
    },
    async close(): Promise<void> {
      if (!baseUrl) return;
      baseUrl = undefined;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
