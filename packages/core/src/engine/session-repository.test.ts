import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, createMachine } from 'xstate';
import { isUssdError } from '../errors.js';
import type { SessionStore } from '../ports/session-store.js';
import { memorySessionStore } from '../stores/memory.js';
import type { Envelope } from './envelope.js';
import { createSessionLocks } from './lock.js';
import { createSessionRepository } from './session-repository.js';
import type { SnapshotBase } from './snapshot-delta.js';

const baseJson = '{"status":"active","historyValue":{},"children":{}}';
const base: SnapshotBase = { snapshot: JSON.parse(baseJson), fresh: () => JSON.parse(baseJson) };

/** The memory store, with every write written down. */
function recordingStore() {
  const inner = memorySessionStore({ sweepIntervalMs: 0 });
  const writes: string[] = [];
  const store: SessionStore = {
    ...inner,
    async set(key, value, ttl) {
      writes.push(`set ${key} ttl=${ttl}`);
      return inner.set(key, value, ttl);
    },
    async delete(key) {
      writes.push(`delete ${key}`);
      return inner.delete(key);
    },
  };
  return { store, writes, inner };
}

function repository(store: SessionStore = memorySessionStore({ sweepIntervalMs: 0 })) {
  return createSessionRepository({
    store,
    machineId: 'shop',
    machineVersion: '2',
    base,
    ttlSeconds: 300,
    resumeTtlSeconds: 120,
    now: () => 42,
  });
}

const toggle = createMachine({ initial: 'a', states: { a: { on: { GO: 'b' } }, b: { on: { GO: 'a' } } } });
const running = () => createActor(toggle).start();

function envelope(fields: Partial<Envelope> = {}): Envelope {
  return {
    machineId: 'shop',
    machineVersion: '2',
    transcript: '1',
    lastReply: 'CON Pay',
    ended: false,
    snapshot: { status: 'active', historyValue: {}, children: {}, value: 'pay' },
    history: [],
    page: 0,
    updatedAt: 42,
    ...fields,
  };
}

describe('the session repository', () => {
  it('keys sessions by menu, gateway and session id', () => {
    expect(repository().keyOf('hubtel', 'abc')).toBe('ussd:shop:hubtel:abc');
  });

  it('makes envelopes of its menu stamped with its clock', () => {
    expect(
      repository().make({ transcript: '', lastReply: 'x', ended: false, snapshot: {}, history: [], page: 0 }),
    ).toEqual({
      machineId: 'shop',
      machineVersion: '2',
      transcript: '',
      lastReply: 'x',
      ended: false,
      snapshot: {},
      history: [],
      page: 0,
      updatedAt: 42,
    });
  });

  it('loads nothing for an unknown session, and what it committed for a known one', async () => {
    const { store, writes } = recordingStore();
    const repo = repository(store);
    expect(await repo.load('k')).toEqual({ kind: 'none' });
    const e = envelope();
    await repo.commit('k', e, '+1', { kind: 'keep' });
    expect(writes).toEqual(['set k ttl=300']);
    const loaded = await repo.load('k');
    // The envelope it wrote last is handed back as it is, without parsing.
    expect(loaded).toEqual({ kind: 'ok', envelope: e, live: undefined });
    expect((loaded as { envelope: Envelope }).envelope).toBe(e);
  });

  it('parses again what another writer changed, and an ended session', async () => {
    const { store } = recordingStore();
    const repo = repository(store);
    const other = repository(store);
    const e = envelope();
    await repo.commit('k', e, '+1', { kind: 'keep' });
    await other.commit('k', envelope({ transcript: '1*2' }), '+1', { kind: 'keep' });
    const loaded = (await repo.load('k')) as { envelope: Envelope };
    expect(loaded.envelope.transcript).toBe('1*2');
    const ended = envelope({ ended: true });
    await repo.commit('k', ended, '+1', { kind: 'keep' });
    const again = (await repo.load('k')) as { envelope: Envelope };
    expect(again.envelope).toEqual(ended);
    expect(again.envelope).not.toBe(ended);
  });

  it('does not hand back a remembered envelope once the store lost it', async () => {
    const { store, inner } = recordingStore();
    const repo = repository(store);
    await repo.commit('k', envelope(), '+1', { kind: 'keep' });
    await inner.delete('k');
    expect(await repo.load('k')).toEqual({ kind: 'none' });
  });

  it('keeps the actor of the last turn while it stands where it was left', async () => {
    const repo = repository();
    const actor = running();
    await repo.commit('k', envelope(), '+1', { kind: 'keep' }, actor);
    expect((await repo.load('k')).live).toBe(actor);
    actor.send({ type: 'GO' });
    expect((await repo.load('k')).live).toBeUndefined();
  });

  it('stops an actor it no longer keeps', async () => {
    const repo = repository();
    const first = running();
    await repo.commit('k', envelope(), '+1', { kind: 'keep' }, first);
    // The same actor again is kept running.
    await repo.commit('k', envelope({ transcript: '1*1' }), '+1', { kind: 'keep' }, first);
    expect(first.getSnapshot().status).toBe('active');
    const second = running();
    await repo.commit('k', envelope({ transcript: '1*1*1' }), '+1', { kind: 'keep' }, second);
    expect(first.getSnapshot().status).toBe('stopped');
    expect((await repo.load('k')).live).toBe(second);
    await repo.commit('k', envelope({ transcript: '1*1*1*1' }), '+1', { kind: 'keep' });
    expect(second.getSnapshot().status).toBe('stopped');
    expect((await repo.load('k')).live).toBeUndefined();
    const last = running();
    await repo.commit('k', envelope({ ended: true }), '+1', { kind: 'keep' }, last);
    expect(last.getSnapshot().status).toBe('stopped');
  });

  it('keeps at most 2,000 live actors, stopping the oldest', async () => {
    const repo = repository();
    // Stand-ins that only say whether they were stopped: two thousand real actors would slow the suite.
    const actors = Array.from({ length: 2001 }, () => {
      const snapshot = {};
      const a = {
        stopped: false,
        getSnapshot: () => snapshot,
        stop: () => {
          a.stopped = true;
        },
      };
      return a;
    });
    for (let i = 0; i < actors.length; i++) {
      await repo.commit(`k${i}`, envelope(), '+1', { kind: 'keep' }, actors[i] as unknown as AnyActorRef);
    }
    expect(actors[0]?.stopped).toBe(true);
    expect(actors.filter((a) => a.stopped)).toHaveLength(1);
    expect((await repo.load('k0')).live).toBeUndefined();
    expect((await repo.load('k1')).live).toBe(actors[1]);
  });

  it('remembers at most 10,000 envelopes, forgetting the oldest', async () => {
    const repo = repository();
    const envelopes = Array.from({ length: 10_001 }, (_, i) => envelope({ transcript: String(i) }));
    for (let i = 0; i < envelopes.length; i++)
      await repo.commit(`k${i}`, envelopes[i] as Envelope, '+1', { kind: 'keep' });
    const oldest = (await repo.load('k0')) as { envelope: Envelope };
    expect(oldest.envelope).toEqual(envelopes[0]);
    expect(oldest.envelope).not.toBe(envelopes[0]);
    expect(((await repo.load('k1')) as { envelope: Envelope }).envelope).toBe(envelopes[1]);
  });

  it('saves, clears or keeps the phone resume point as the turn says', async () => {
    const { store, writes, inner } = recordingStore();
    const repo = repository(store);
    const point = { snapshot: { status: 'active', historyValue: {}, children: {}, value: 'amount' }, history: [] };
    await repo.commit('k', envelope(), '+254711', { kind: 'save', point });
    expect(await inner.get('resume:shop:+254711')).toBe('{"v":3,"menu":"shop@2","snapshot":["amount"]}');
    await repo.commit('k', envelope(), '+254711', { kind: 'keep' });
    await repo.commit('k', envelope(), '+254711', { kind: 'clear' });
    expect(writes).toEqual([
      'set k ttl=300',
      'set resume:shop:+254711 ttl=120',
      'set k ttl=300',
      'set k ttl=300',
      'delete resume:shop:+254711',
    ]);
  });

  it('offers a resume point once, and drops a malformed one', async () => {
    const { store, inner } = recordingStore();
    const repo = repository(store);
    expect(await repo.takeResumePoint('+1')).toBeUndefined();
    await inner.set('resume:shop:+1', '{"v":3,"menu":"shop@2","snapshot":["amount"]}', 60);
    expect(await repo.takeResumePoint('+1')).toEqual({
      snapshot: { status: 'active', historyValue: {}, children: {}, value: 'amount' },
      history: [],
    });
    expect(await repo.takeResumePoint('+1')).toBeUndefined();
    await inner.set('resume:shop:+1', 'garbage', 60);
    expect(await repo.takeResumePoint('+1')).toBeUndefined();
    expect(await inner.get('resume:shop:+1')).toBeNull();
  });

  it('forgets a session: its envelope, what it remembered and its actor', async () => {
    const { store, inner } = recordingStore();
    const repo = repository(store);
    const actor = running();
    const e = envelope();
    await repo.commit('k', e, '+1', { kind: 'keep' }, actor);
    await repo.forget('k');
    expect(actor.getSnapshot().status).toBe('stopped');
    expect(await inner.get('k')).toBeNull();
    expect(await repo.load('k')).toEqual({ kind: 'none' });
    // Written again with the same text by another node: parsed, not the forgotten object, and no actor.
    await inner.set(
      'k',
      '{"v":3,"menu":"shop@2","transcript":"1","lastReply":"CON Pay","snapshot":["pay"],"updatedAt":42}',
      60,
    );
    const loaded = await repo.load('k');
    expect((loaded as { envelope: Envelope }).envelope).not.toBe(e);
    expect(loaded.live).toBeUndefined();
  });

  it('runs work under a store lock named after the session', async () => {
    const { store, inner } = recordingStore();
    const repo = repository(store);
    const opts = { leaseMs: 1000, deadline: Date.now() + 1000, signal: new AbortController().signal };
    const held = await repo.withLock('ussd:shop:p:s', opts, async () => inner.get('lock:ussd:shop:p:s'));
    expect(held).toMatch(/^[0-9a-f-]{36}$/);
    expect(await inner.get('lock:ussd:shop:p:s')).toBeNull();
  });
});

describe('session locks', () => {
  const opts = (ms: number, signal = new AbortController().signal) => ({
    leaseMs: 1000,
    deadline: Date.now() + ms,
    signal,
  });

  it('run one request of a session at a time, in order, and others side by side', async () => {
    const locks = createSessionLocks(memorySessionStore({ sweepIntervalMs: 0 }));
    const log: string[] = [];
    const step = (name: string, ms: number) => async () => {
      log.push(`${name} in`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([
      locks.run('a', opts(2000), step('a1', 10)),
      locks.run('a', opts(2000), step('a2', 1)),
      locks.run('b', opts(2000), step('b1', 1)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log).toEqual(['a1 in', 'b1 in', 'b1 out', 'a1 out', 'a2 in', 'a2 out']);
  });

  it('release the session after a failure', async () => {
    const store = memorySessionStore({ sweepIntervalMs: 0 });
    const locks = createSessionLocks(store);
    await expect(
      locks.run('a', opts(1000), async () => {
        throw new Error('menu bug');
      }),
    ).rejects.toThrow('menu bug');
    expect(await store.get('a')).toBeNull();
    expect(await locks.run('a', opts(1000), async () => 'next')).toBe('next');
  });

  it('give up on a request queued behind one that outlives its deadline', async () => {
    const locks = createSessionLocks(memorySessionStore({ sweepIntervalMs: 0 }));
    let finish!: () => void;
    const first = locks.run('a', opts(5000), () => new Promise<void>((r) => (finish = r)));
    const t0 = Date.now();
    const err = await locks.run('a', opts(30), async () => 'never').catch((e: unknown) => e);
    expect(isUssdError(err, 'SESSION_BUSY')).toBe(true);
    expect((err as Error).message).toBe('an earlier request of this session is still running');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    finish();
    await first;
    // The queue is free again once both are done.
    expect(await locks.run('a', opts(1000), async () => 'free')).toBe('free');
  });

  it('wait for the store lock with growing pauses, and give up at the deadline', async () => {
    const inner = memorySessionStore({ sweepIntervalMs: 0 });
    let tries = 0;
    const store: SessionStore = {
      ...inner,
      async setIfAbsent() {
        tries++;
        return false;
      },
    };
    const locks = createSessionLocks(store);
    const err = await locks.run('a', opts(600), async () => 'never').catch((e: unknown) => e);
    expect(isUssdError(err, 'SESSION_BUSY')).toBe(true);
    expect((err as Error).message).toBe('another request of this session holds the lock');
    // Pauses of 5, 10, 20, 40, 80, then 100 ms: about 10 tries in 600 ms (fewer on a busy machine); pauses
    // of 100 ms and more from the second on would leave room for 4.
    expect(tries).toBeGreaterThanOrEqual(5);
    expect(tries).toBeLessThanOrEqual(11);
  });

  it('give up at once when the deadline is nearer than the first pause, or the turn was aborted', async () => {
    const inner = memorySessionStore({ sweepIntervalMs: 0 });
    let tries = 0;
    const store: SessionStore = {
      ...inner,
      async setIfAbsent() {
        tries++;
        return false;
      },
    };
    const locks = createSessionLocks(store);
    await expect(locks.run('a', opts(2), async () => 'never')).rejects.toThrow('holds the lock');
    expect(tries).toBe(1);
    const aborted = new AbortController();
    aborted.abort();
    await expect(locks.run('b', opts(5000, aborted.signal), async () => 'never')).rejects.toThrow('holds the lock');
    expect(tries).toBe(2);
  });

  it('take the store lock once it is released', async () => {
    const store = memorySessionStore({ sweepIntervalMs: 0 });
    await store.setIfAbsent('a', 'someone else', 1000);
    setTimeout(() => {
      void store.delete('a');
    }, 20);
    const locks = createSessionLocks(store);
    expect(await locks.run('a', opts(2000), async () => 'got it')).toBe('got it');
  });

  it('answer even when the store fails to release the lock', async () => {
    const inner = memorySessionStore({ sweepIntervalMs: 0 });
    const store: SessionStore = {
      ...inner,
      async deleteIfEquals() {
        throw new Error('store down');
      },
    };
    expect(await createSessionLocks(store).run('a', opts(1000), async () => 'done')).toBe('done');
  });
});
