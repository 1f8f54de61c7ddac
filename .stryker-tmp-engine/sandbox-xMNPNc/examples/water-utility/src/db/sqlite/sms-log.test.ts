// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { queueSms } from '../../domain/notify.js';
import { memoryRepos, testClock } from '../test-support.js';

describe('SMS log', () => {
  it('follows an outgoing message from queued to sent to delivered', async () => {
    const clock = testClock();
    const repos = memoryRepos(clock);
    await repos.transaction((tx) =>
      queueSms(tx, clock.now(), {
        key: 'issue:R-000001:confirm',
        to: '+254711000111',
        text: 'hi',
        issueReference: 'R-000001',
      }),
    );
    expect(await repos.smsLog.list()).toMatchObject([
      { direction: 'out', status: 'queued', issueReference: 'R-000001' },
    ]);

    await repos.outbox.markSent(
      'issue:R-000001:confirm',
      { recipients: [{ to: '+254711000111', status: 'accepted', messageId: 'ATXid_1', reason: 'Success' }] },
      1,
    );
    expect(await repos.smsLog.applyDeliveryReport({ providerMessageId: 'ATXid_1', status: 'Success' })).toBe(true);
    expect(await repos.smsLog.applyDeliveryReport({ providerMessageId: 'ATXid_unknown', status: 'Failed' })).toBe(
      false,
    );
    expect((await repos.smsLog.list({ phone: '+254711000111' }))[0]).toMatchObject({
      status: 'sent',
      providerMessageId: 'ATXid_1',
      deliveryStatus: 'Success',
    });
  });

  it('records why a message was given up', async () => {
    const clock = testClock();
    const repos = memoryRepos(clock);
    await repos.transaction((tx) => queueSms(tx, clock.now(), { key: 'k', to: '+254711000111', text: 'hi' }));
    await repos.outbox.markFailed('k', 8, 'gave up after 8 attempts: PROVIDER_UNAVAILABLE');
    expect((await repos.smsLog.list())[0]).toMatchObject({
      status: 'failed',
      failureReason: expect.stringContaining('gave up'),
    });
  });
});
