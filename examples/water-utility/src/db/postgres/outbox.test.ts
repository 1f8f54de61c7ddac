import { expect, it } from 'vitest';
import { queueSms } from '../../domain/notify.js';
import { openPostgresRepositories } from './index.js';
import { usePostgres } from './test-server.js';

const pg = usePostgres();

// Every outcome is written to the outbox and the SMS log in one serializable transaction. Concurrent ones (a
// node's four sends, the other nodes' sends) conflict now and then; a conflict must be retried, not reported as
// a failure: an outcome not recorded means the message goes out a second time when its lease runs out.
it('records many delivery outcomes from two nodes at once, each once, conflicts retried', async () => {
  const url = await pg.server.createDatabase();
  const nodes = [
    await openPostgresRepositories({ url, poolSize: 8 }),
    await openPostgresRepositories({ url, poolSize: 8 }),
  ];
  try {
    const n = 120;
    const at = new Date();
    await nodes[0]!.transaction(async (tx) => {
      for (let i = 0; i < n; i++) {
        await queueSms(tx, at, { key: `k${i}`, to: `+2547990${String(i).padStart(5, '0')}`, text: `m${i}` });
      }
    });
    const claimed = await nodes[0]!.outbox.claimDue(Date.now(), n, 60_000);
    expect(claimed).toHaveLength(n);
    const outcomes = await Promise.allSettled(
      claimed.map((item, i) =>
        nodes[i % 2]!.outbox.markSent(
          item.key,
          { recipients: [{ to: item.message.to[0]!, status: 'accepted', messageId: `id-${item.key}` }] },
          1,
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const { rows } = await nodes[1]!.pool.query(
      `SELECT (SELECT count(*)::int FROM outbox WHERE status = 'sent') AS outbox,
              (SELECT count(*)::int FROM sms_log WHERE status = 'sent') AS log`,
    );
    expect(rows[0]).toEqual({ outbox: n, log: n });
  } finally {
    await Promise.all(nodes.map((r) => r.close()));
  }
});
