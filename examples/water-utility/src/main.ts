import { isUssdError } from '@rolax/ussd-core';
import { loadConfig } from './config.js';
import { startWaterServer } from './server.js';

// Configuration errors are listed all at once, without a stack trace: they are the operator's to fix.
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  process.stderr.write(`${isUssdError(err) ? err.message : String(err)}\n`);
  process.exit(1);
}

const server = await startWaterServer(config);
// SIGTERM: stop taking requests, let the turns in flight finish, stop the outbox and reconciler (their work in
// hand finishes and its leases are released), close the database. Past the deadline, exit anyway.
const stop = async () => {
  setTimeout(() => {
    process.stderr.write(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting\n`);
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
