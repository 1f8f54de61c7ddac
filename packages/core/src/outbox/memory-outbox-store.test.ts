import { describe, expect, it } from 'vitest';
import type { SmsMessage, SmsResult } from '../ports/sms.js';
import { outboxStoreContract } from '../testing/contracts/outbox-store.js';
import { memoryOutboxStore } from './memory-outbox-store.js';

outboxStoreContract('memoryOutboxStore', async () => ({ store: memoryOutboxStore() }));

const message = (text = 'hello'): SmsMessage => ({ to: ['+254711000111'], text });
const sent: SmsResult = { recipients: [{ to: '+254711000111', status: 'accepted', reason: 'Success' }] };
const lease = 30_000;

describe('memoryOutboxStore: its name, due times, claim order and limits, settled items and copies', () => {
  it('is named memory', () => {
    expect(memoryOutboxStore().name).toBe('memory');
  });

  it('makes a new item due at its creation time', async () => {
    const store = memoryOutboxStore();
    await store.add({ key: 'a', message: message(), createdAt: 1_000 });
    expect(await store.get('a')).toEqual({
      key: 'a',
      message: message(),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 1_000,
      createdAt: 1_000,
    });
    expect(await store.claimDue(999, 10, lease)).toEqual([]);
    expect((await store.claimDue(1_000, 10, lease)).map((i) => i.key)).toEqual(['a']);
  });

  it('hands out items created in the same millisecond in the order they were added', async () => {
    const store = memoryOutboxStore();
    for (const key of ['c', 'a', 'b']) await store.add({ key, message: message(), createdAt: 1_000 });
    expect((await store.claimDue(1_000, 10, lease)).map((i) => i.key)).toEqual(['c', 'a', 'b']);
    // Many more, with older items added in between: the older ones first, then the rest as added.
    const many = memoryOutboxStore();
    const added: string[] = [];
    for (let i = 0; i < 30; i++) {
      const key = `k${(i * 7) % 30}`;
      added.push(key);
      await many.add({ key, message: message(), createdAt: 2_000 });
      if (i % 10 === 0) await many.add({ key: `old${i}`, message: message(), createdAt: 1_500 - i });
    }
    expect((await many.claimDue(2_000, 50, lease)).map((i) => i.key)).toEqual(['old20', 'old10', 'old0', ...added]);
  });

  it('claims nothing for a limit of zero or below', async () => {
    const store = memoryOutboxStore();
    await store.add({ key: 'a', message: message(), createdAt: 1_000 });
    expect(await store.claimDue(1_000, 0, lease)).toEqual([]);
    expect(await store.claimDue(1_000, -1, lease)).toEqual([]);
    expect(await store.claimDue(1_000, 1, lease)).toHaveLength(1);
  });

  it('frees a retried item at its next attempt even inside the old lease', async () => {
    const store = memoryOutboxStore();
    await store.add({ key: 'a', message: message(), createdAt: 1_000 });
    await store.claimDue(1_000, 10, lease);
    await store.markRetry('a', 1, 2_000, 'down');
    expect((await store.claimDue(2_000, 10, lease)).map((i) => i.key)).toEqual(['a']);
  });

  it('refuses to update an unknown key', async () => {
    const store = memoryOutboxStore();
    await expect(store.markSent('nope', sent, 1)).rejects.toMatchObject({
      code: 'STORE',
      message: 'outbox item not found: nope',
    });
    await expect(store.markRetry('nope', 1, 2_000, 'x')).rejects.toMatchObject({ code: 'STORE' });
    await expect(store.markFailed('nope', 1, 'x')).rejects.toMatchObject({ code: 'STORE' });
  });

  it('clears the last error once sent', async () => {
    const store = memoryOutboxStore();
    await store.add({ key: 'a', message: message(), createdAt: 1_000 });
    await store.markRetry('a', 1, 2_000, 'PROVIDER_UNAVAILABLE: down');
    await store.markSent('a', sent, 2);
    const item = await store.get('a');
    expect(item).toMatchObject({ status: 'sent', attempts: 2, result: sent });
    expect(item?.lastError).toBeUndefined();
  });

  it('keeps an earlier result when a failure gives none', async () => {
    const store = memoryOutboxStore();
    await store.add({ key: 'a', message: message(), createdAt: 1_000 });
    await store.markFailed('a', 1, 'gave up');
    expect((await store.get('a'))?.result).toBeUndefined();
    const other = memoryOutboxStore();
    await other.add({ key: 'b', message: message(), createdAt: 1_000 });
    await other.markRetry('b', 1, 2_000, 'partly', { remaining: [], settled: sent.recipients });
    await other.markFailed('b', 2, 'gave up', sent);
    expect((await other.get('b'))?.result).toEqual(sent);
  });

  it('never changes a settled item again', async () => {
    const store = memoryOutboxStore();
    await store.add({ key: 'a', message: message(), createdAt: 1_000 });
    await store.markFailed('a', 1, 'PROVIDER_AUTH: no');
    await store.markSent('a', sent, 2);
    await store.markFailed('a', 3, 'late');
    await store.markRetry('a', 4, 5_000, 'later');
    expect(await store.get('a')).toMatchObject({ status: 'failed', attempts: 1, lastError: 'PROVIDER_AUTH: no' });
    await store.add({ key: 'b', message: message(), createdAt: 1_000 });
    await store.markSent('b', sent, 1);
    await store.markFailed('b', 2, 'late');
    expect(await store.get('b')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('keeps its own copies of what it is given', async () => {
    const store = memoryOutboxStore();
    const msg = message();
    await store.add({ key: 'a', message: msg, createdAt: 1_000 });
    msg.to.push('+254722000222');
    const progress = { remaining: ['+254722000222'], settled: structuredClone(sent.recipients) };
    await store.markRetry('a', 1, 2_000, 'x', progress);
    progress.remaining.push('+254733000333');
    const result = structuredClone(sent);
    await store.markFailed('a', 2, 'y', result);
    result.recipients.length = 0;
    const item = await store.get('a');
    expect(item?.message.to).toEqual(['+254711000111']);
    expect(item?.progress?.remaining).toEqual(['+254722000222']);
    expect(item?.result?.recipients).toHaveLength(1);
  });

  it('hands out copies of claimed items and results', async () => {
    const store = memoryOutboxStore();
    await store.add({ key: 'a', message: message(), createdAt: 1_000 });
    const claimed = await store.claimDue(1_000, 10, lease);
    claimed[0]?.message.to.push('+254733000333');
    expect((await store.get('a'))?.message.to).toEqual(['+254711000111']);
    await store.markSent('a', sent, 1);
    const copy = await store.get('a');
    copy?.result?.recipients.push({ to: 'x', status: 'failed' });
    expect((await store.get('a'))?.result?.recipients).toHaveLength(1);
  });
});
