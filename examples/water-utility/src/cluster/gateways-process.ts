// Entry of the shared demo gateways process (see gateways-server.ts). PORT, PAYMENT_WEBHOOK_URL and
// DELIVERY_REPORT_URL come from the cluster launcher.
import { startSharedGateways } from './gateways-server.js';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is required\n`);
    process.exit(1);
  }
  return value;
};

const gateways = await startSharedGateways({
  port: Number(process.env.PORT ?? 0),
  paymentWebhookUrl: need('PAYMENT_WEBHOOK_URL'),
  deliveryReportUrl: need('DELIVERY_REPORT_URL'),
});
process.stdout.write(`gateway fakes listening on ${gateways.url}\n`);

const stop = async () => {
  await gateways.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
