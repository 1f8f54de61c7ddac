// @ts-nocheck
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxStore } from '../../ports/outbox.js';
import type { SmsMessage, SmsResult } from '../../ports/sms.js';

export interface OutboxStoreHarness {
  /** A fresh, empty store. */
  store: OutboxStore;
  teardown?(): Promise<void>;
}

/** The behaviour every OutboxStore shares. Times are passed in, so no clock is involved. */
export function outboxStoreContract(name: string, setup: () => Promise<OutboxStoreHarness>): void {
  describe(`OutboxStore contract: ${name}`, () => {
    let h: OutboxStoreHarness;
    let store: OutboxStore;
    beforeEach(async () => {
      h = await setup();
      store = h.store;
    });
    afterEach(async () => {
      await h.teardown?.();
    });
    const message = (text = 'hello'): SmsMessage => ({ to: ['+254711000111', '+254722000222'], text, from: 'ROLAX' });
    const sent: SmsResult = {
      recipients: [{ to: '+254711000111', status: 'accepted', messageId: 'm1', reason: 'Success' }],
    };
    const lease = 30_000;

    it('records a key once and keeps the message as given', async () => {
      expect(await store.add({ key: 'a', message: message('first'), createdAt: 1_000 })).toBe(true);
      expect(await store.add({ key: 'a', message: message('second'), createdAt: 2_000 })).toBe(false);
      const item = await store.get('a');
      expect(item).toMatchObject({
        key: 'a',
        status: 'pending',
        attempts: 0,
        createdAt: 1_000,
        message: message('first'),
      });
      expect(item?.nextAttemptAt).toBeLessThanOrEqual(1_000);
    });

    it('answers null for an unknown key', async () => {
      expect(await store.get('nope')).toBeNull();
    });

    it('claims due items oldest first, up to the limit', async () => {
      await store.add({ key: 'late', message: message(), createdAt: 3_000 });
      await store.add({ key: 'early', message: message(), createdAt: 1_000 });
      await store.add({ key: 'middle', message: message(), createdAt: 2_000 });
      expect((await store.claimDue(2_500, 10, lease)).map((i) => i.key)).toEqual(['early', 'middle']);
      await store.add({ key: 'x', message: message(), createdAt: 500 });
      expect((await store.claimDue(5_000, 1, lease)).map((i) => i.key)).toEqual(['x']);
    });

    it('does not hand a leased item to a second claim until the lease expires', async () => {
      await store.add({ key: 'a', message: message(), createdAt: 1_000 });
      expect(await store.claimDue(1_000, 10, lease)).toHaveLength(1);
      expect(await store.claimDue(1_000 + lease - 1, 10, lease)).toHaveLength(0);
      expect((await store.claimDue(1_000 + lease, 10, lease)).map((i) => i.key)).toEqual(['a']);
    });

    it('gives each item to only one of two concurrent claims', async () => {
      for (let i = 0; i < 6; i++) await store.add({ key: `k${i}`, message: message(), createdAt: 1_000 + i });
      const [a, b] = await Promise.all([store.claimDue(2_000, 4, lease), store.claimDue(2_000, 4, lease)]);
      const keys = [...a, ...b].map((i) => i.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    });

    it('schedules a retry with its error and progress, and frees the item at that time', async () => {
      await store.add({ key: 'a', message: message(), createdAt: 1_000 });
      await store.claimDue(1_000, 10, lease);
      const progress = { remaining: ['+254722000222'], settled: sent.recipients };
      await store.markRetry('a', 1, 5_000, 'PROVIDER_UNAVAILABLE: down', progress);
      expect(await store.get('a')).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: 5_000,
        lastError: 'PROVIDER_UNAVAILABLE: down',
        progress,
      });
      expect(await store.claimDue(4_999, 10, lease)).toHaveLength(0);
      const [again] = await store.claimDue(5_000, 10, lease);
      expect(again).toMatchObject({ key: 'a', attempts: 1, progress });
    });

    it('keeps the earlier progress when a retry gives none', async () => {
      await store.add({ key: 'a', message: message(), createdAt: 1_000 });
      const progress = { remaining: ['+254722000222'], settled: sent.recipients };
      await store.markRetry('a', 1, 2_000, 'first', progress);
      await store.markRetry('a', 2, 3_000, 'second');
      expect((await store.get('a'))?.progress).toEqual(progress);
    });

    it('marks an item sent with its result and never claims it again', async () => {
      await store.add({ key: 'a', message: message(), createdAt: 1_000 });
      await store.claimDue(1_000, 10, lease);
      await store.markSent('a', sent, 1);
      expect(await store.get('a')).toMatchObject({ status: 'sent', attempts: 1, result: sent });
      expect(await store.claimDue(1_000_000, 10, lease)).toHaveLength(0);
      expect(await store.add({ key: 'a', message: message(), createdAt: 2_000 })).toBe(false);
    });

    it('marks an item failed with its error and result and never claims it again', async () => {
      await store.add({ key: 'a', message: message(), createdAt: 1_000 });
      await store.markFailed('a', 3, 'PROVIDER_REJECTED: InvalidSenderId', sent);
      expect(await store.get('a')).toMatchObject({
        status: 'failed',
        attempts: 3,
        lastError: 'PROVIDER_REJECTED: InvalidSenderId',
        result: sent,
      });
      expect(await store.claimDue(1_000_000, 10, lease)).toHaveLength(0);
    });

    it('does not reopen a settled item when a late worker reports a retry', async () => {
      await store.add({ key: 'a', message: message(), createdAt: 1_000 });
      await store.markSent('a', sent, 1);
      await store.markRetry('a', 2, 2_000, 'late');
      expect(await store.get('a')).toMatchObject({ status: 'sent', attempts: 1 });
      expect(await store.claimDue(1_000_000, 10, lease)).toHaveLength(0);
    });

    it('hands out copies: changing a returned item changes nothing stored', async () => {
      await store.add({ key: 'a', message: message(), createdAt: 1_000 });
      const item = await store.get('a');
      item?.message.to.push('+254733000333');
      expect((await store.get('a'))?.message.to).toHaveLength(2);
    });
  });
}
