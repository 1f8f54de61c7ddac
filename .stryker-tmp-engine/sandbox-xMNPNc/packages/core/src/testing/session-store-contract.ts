// @ts-nocheck
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../ports/session-store.js';

export interface StoreUnderTest {
  store: SessionStore;
  /** Moves the store's clock forward; stores on a real clock may sleep instead. */
  advance(ms: number): Promise<void>;
  teardown?(): Promise<void>;
}

/**
 * The behaviour every `SessionStore` must show. Run it in a vitest file against any implementation:
 * `sessionStoreContract('redis', async () => ({ store: redisSessionStore({ client }), advance: sleep }))`.
 */
export function sessionStoreContract(name: string, setup: () => Promise<StoreUnderTest>): void {
  describe(`${name} session store contract`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await setup();
    });
    afterEach(async () => {
      await t?.teardown?.();
    });

    it('gets what was set, and null for an unknown key', async () => {
      await t.store.set('a', 'one', 60);
      expect(await t.store.get('a')).toBe('one');
      expect(await t.store.get('missing')).toBeNull();
    });

    it('overwrites and deletes', async () => {
      await t.store.set('a', 'one', 60);
      await t.store.set('a', 'two', 60);
      expect(await t.store.get('a')).toBe('two');
      await t.store.delete('a');
      expect(await t.store.get('a')).toBeNull();
      await t.store.delete('a');
    });

    it('keeps values with unicode and newlines intact', async () => {
      const value = JSON.stringify({ text: 'Karibu\nLipa bili €5 ñ 😀', n: 1 });
      await t.store.set('u', value, 60);
      expect(await t.store.get('u')).toBe(value);
    });

    it('expires values after their TTL', async () => {
      await t.store.set('short', 'x', 1);
      await t.store.set('long', 'y', 60);
      await t.advance(1100);
      expect(await t.store.get('short')).toBeNull();
      expect(await t.store.get('long')).toBe('y');
    });

    it('setIfAbsent stores once, and again after expiry', async () => {
      expect(await t.store.setIfAbsent('lock', 'a', 1000)).toBe(true);
      expect(await t.store.setIfAbsent('lock', 'b', 1000)).toBe(false);
      expect(await t.store.get('lock')).toBe('a');
      await t.advance(1100);
      expect(await t.store.setIfAbsent('lock', 'c', 1000)).toBe(true);
      expect(await t.store.get('lock')).toBe('c');
    });

    it('deleteIfEquals deletes only the holder', async () => {
      await t.store.setIfAbsent('lock', 'mine', 5000);
      expect(await t.store.deleteIfEquals('lock', 'theirs')).toBe(false);
      expect(await t.store.get('lock')).toBe('mine');
      expect(await t.store.deleteIfEquals('lock', 'mine')).toBe(true);
      expect(await t.store.get('lock')).toBeNull();
    });

    it('lets exactly one of many concurrent contenders take a key', async () => {
      const wins = await Promise.all(Array.from({ length: 50 }, (_, i) => t.store.setIfAbsent('race', `c${i}`, 5000)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = `c${wins.indexOf(true)}`;
      expect(await t.store.get('race')).toBe(winner);
    });

    it('serializes read-modify-write under contention when used as a lock', async () => {
      await t.store.set('counter', '0', 60);
      const worker = async (id: number) => {
        for (;;) {
          if (await t.store.setIfAbsent('counter-lock', `w${id}`, 5000)) break;
          await new Promise((r) => setTimeout(r, 1));
        }
        const n = Number(await t.store.get('counter'));
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        await t.store.set('counter', String(n + 1), 60);
        await t.store.deleteIfEquals('counter-lock', `w${id}`);
      };
      await Promise.all(Array.from({ length: 20 }, (_, i) => worker(i)));
      expect(await t.store.get('counter')).toBe('20');
    });
  });
}
