import { describe, expect, it } from 'vitest';
import { memoryRepos, testClock } from '../db/test-support.js';
import { acquireJobLease, nodeName } from './job-lease.js';

describe('job lease', () => {
  it('names a node by host, process and a random part', () => {
    expect(nodeName()).toMatch(new RegExp(`^.+:${process.pid}:[0-9a-f]{6}$`));
    expect(nodeName()).not.toBe(nodeName());
  });

  it('renews once a third of the lease has passed, and stops once another holder has it', async () => {
    const clock = testClock('2026-11-20T10:00:00.000Z');
    const repos = memoryRepos(clock);
    const lease = await acquireJobLease(repos.jobLeases, { name: 'job', holder: 'a', ttlMs: 3000, now: clock.now });
    expect(lease).not.toBeNull();
    expect(
      await acquireJobLease(repos.jobLeases, { name: 'job', holder: 'b', ttlMs: 3000, now: clock.now }),
    ).toBeNull();
    clock.advance(999);
    expect(await lease?.stillHeld()).toBe(true);
    expect((await repos.jobLeases.get('job'))?.until).toBe('2026-11-20T10:00:03.000Z');
    clock.advance(1);
    expect(await lease?.stillHeld()).toBe(true);
    expect((await repos.jobLeases.get('job'))?.until).toBe('2026-11-20T10:00:04.000Z');
    clock.advance(4000);
    expect(await repos.jobLeases.tryAcquire('job', 'b', 3000)).toBe(true);
    expect(await lease?.stillHeld()).toBe(false);
    // Once lost, it stays lost without asking again.
    await repos.jobLeases.release('job', 'b');
    clock.advance(5000);
    expect(await lease?.stillHeld()).toBe(false);
  });

  it('is not held after release, and frees the job for others', async () => {
    const clock = testClock('2026-11-20T10:00:00.000Z');
    const repos = memoryRepos(clock);
    const lease = await acquireJobLease(repos.jobLeases, { name: 'job', holder: 'a', ttlMs: 3000, now: clock.now });
    await lease?.release();
    expect(await lease?.stillHeld()).toBe(false);
    expect(await repos.jobLeases.get('job')).toBeNull();
  });
});
