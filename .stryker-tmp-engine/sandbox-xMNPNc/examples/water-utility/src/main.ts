// @ts-nocheck
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
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
