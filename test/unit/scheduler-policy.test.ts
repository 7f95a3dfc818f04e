import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';
import { Scheduler } from '../../src-main/core/scheduler/scheduler.ts';
import { recordingExecutor, tempCatalog } from './scheduler-helpers.ts';

const MINUTE = 60_000;
let env: ReturnType<typeof tempCatalog> | null = null;
afterEach(() => { env?.dispose(); env = null; });

async function step(s: Scheduler, clock: FakeClock, minutes: number) {
  for (let i = 0; i < minutes; i++) {
    clock.advance(MINUTE);
    s.tick();
    await s.idle();
  }
}

describe('missed runs after downtime', () => {
  it('run-once: a three-hour downtime gives exactly one catch-up run, recorded with the slots it covers; then the schedule resumes', async () => {
    env = tempCatalog();
    const id = env.addJob('hourly', 'hourly', { options: { timezone: 'UTC', missedRuns: 'run-once' } });
    const clock = new FakeClock('2026-06-01T09:30:00Z');
    const exec = recordingExecutor(() => clock.now());
    const a = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    a.tick();
    await step(a, clock, 30); // 10:00 runs on time
    await a.stop(0);
    expect(exec.calls.map((c) => [c.at, c.trigger])).toEqual([['2026-06-01T10:00:00.000Z', 'schedule']]);

    clock.set('2026-06-01T13:20:00Z'); // down over 11:00, 12:00 and 13:00
    const b = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    b.tick();
    await b.idle();
    await step(b, clock, 45); // through 14:00
    expect(exec.calls.map((c) => [c.at, c.trigger])).toEqual([
      ['2026-06-01T10:00:00.000Z', 'schedule'],
      ['2026-06-01T13:20:00.000Z', 'catch-up'],
      ['2026-06-01T14:00:00.000Z', 'schedule'],
    ]);
    const catchUp = env.catalog.schedule.events({ jobId: id }).filter((e) => e.outcome === 'catch-up');
    expect(catchUp).toHaveLength(1);
    expect(catchUp[0]).toMatchObject({ trigger: 'catch-up', missedSlots: 3, slotAt: '2026-06-01T13:00:00.000Z', runIds: ['run-2-0'] });
    expect(catchUp[0]!.detail.firstMissed).toBe('2026-06-01T11:00:00.000Z');
  });

  it('skip: the missed slots run nothing but are recorded as skipped', async () => {
    env = tempCatalog();
    const id = env.addJob('hourly', 'hourly', { options: { timezone: 'UTC', missedRuns: 'skip' } });
    const clock = new FakeClock('2026-06-01T09:59:00Z');
    const exec = recordingExecutor(() => clock.now());
    const a = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    a.tick();
    await a.stop(0);
    clock.set('2026-06-01T13:20:00Z');
    const b = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    b.tick();
    await b.idle();
    expect(exec.calls).toHaveLength(0);
    const ev = env.catalog.schedule.events({ jobId: id });
    expect(ev.map((e) => [e.outcome, e.missedSlots])).toEqual([['skipped', 4]]);
    await step(b, clock, 40);
    expect(exec.calls.map((c) => c.trigger)).toEqual(['schedule']);
  });

  it('a downtime longer than ten thousand slots of a frequent job still gives one catch-up, then the schedule resumes', async () => {
    env = tempCatalog();
    env.addJob('busy', 'every 1 second', { options: { timezone: 'UTC' } });
    const clock = new FakeClock('2026-06-01T09:00:00Z');
    const exec = recordingExecutor(() => clock.now());
    const s = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    s.tick();
    clock.advance(4 * 3_600_000);
    s.tick();
    await s.idle();
    clock.advance(1000);
    s.tick();
    await s.idle();
    expect(exec.calls.map((c) => c.trigger)).toEqual(['catch-up', 'schedule']);
  });

  it('a tick late by less than the margin is not a downtime: the slots it spans make one on-time run', async () => {
    env = tempCatalog();
    env.addJob('frequent', 'every 10 seconds', { options: { timezone: 'UTC' } });
    const clock = new FakeClock('2026-06-01T10:00:05Z');
    const exec = recordingExecutor(() => clock.now());
    const s = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    s.tick();
    clock.advance(40_000); // the event loop was blocked: 10:00:10 .. 10:00:40 all passed
    s.tick();
    await s.idle();
    expect(exec.calls.map((c) => c.trigger)).toEqual(['schedule']);
    expect(env.catalog.schedule.events()[0]).toMatchObject({ outcome: 'ran', detail: { coalescedSlots: 4 } });
  });

  it('a restart within the same slot is not a downtime: nothing is caught up', async () => {
    env = tempCatalog();
    env.addJob('hourly', 'hourly', { options: { timezone: 'UTC' } });
    const clock = new FakeClock('2026-06-01T09:59:00Z');
    const exec = recordingExecutor(() => clock.now());
    const a = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    a.tick();
    await step(a, clock, 2);
    await a.stop(0);
    clock.advance(20 * MINUTE);
    const b = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    b.tick();
    await b.idle();
    expect(exec.calls.map((c) => c.trigger)).toEqual(['schedule']);
  });
});

describe('disabled jobs', () => {
  it('a job disabled over several slots is not caught up when enabled again', async () => {
    env = tempCatalog();
    const id = env.addJob('hourly', 'hourly', { options: { timezone: 'UTC' } });
    const clock = new FakeClock('2026-06-01T09:59:00Z');
    const exec = recordingExecutor(() => clock.now());
    const s = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 2, defaultTimezone: 'UTC' });
    s.tick();
    env.catalog.jobs.update(id, { enabled: false });
    await step(s, clock, 4 * 60 - 1);
    env.catalog.jobs.update(id, { enabled: true });
    s.tick();
    await step(s, clock, 62); // enabled at 13:58: runs at 14:00 and 15:00, nothing for 10:00-13:00
    expect(exec.calls.map((c) => [c.at, c.trigger])).toEqual([['2026-06-01T14:00:00.000Z', 'schedule'], ['2026-06-01T15:00:00.000Z', 'schedule']]);
    expect(env.catalog.schedule.events({ jobId: id }).map((e) => e.outcome)).toEqual(['ran', 'ran']);
  });
});

describe('queue: overlap, concurrency, priority, blackouts, retries', () => {
  it('a job never overlaps itself and at most maxConcurrent jobs run; log backups go before fulls', async () => {
    env = tempCatalog();
    env.addJob('full-a', 'every 1 minute', { options: { timezone: 'UTC' } });
    env.addJob('full-b', 'every 1 minute', { options: { timezone: 'UTC' } });
    env.addJob('log-c', 'every 1 minute', { backupType: 'log', options: { timezone: 'UTC' } });
    const clock = new FakeClock('2026-06-01T10:00:30Z');
    const gates: (() => void)[] = [];
    const live = new Set<string>();
    let maxLive = 0;
    const exec = recordingExecutor(() => clock.now(), (call) => new Promise((resolve) => {
      if (live.has(call.jobName)) throw new Error(`${call.jobName} overlapped itself`);
      live.add(call.jobName);
      maxLive = Math.max(maxLive, live.size);
      gates.push(() => { live.delete(call.jobName); resolve([{}]); });
    }));
    const s = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 1, defaultTimezone: 'UTC' });
    s.tick();
    clock.advance(30_000); // 10:01:00: all three due
    s.tick();
    expect(exec.calls.map((c) => c.jobName)).toEqual(['log-c']);
    clock.advance(MINUTE); // 10:02:00: due again while everything is busy or waiting
    s.tick();
    expect(exec.calls).toHaveLength(1);
    // Release one run at a time; each release lets exactly one more start.
    for (let i = 0; i < 4 && gates.length; i++) {
      gates.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(maxLive).toBe(1);
    // The fulls' second slot was folded into their one waiting run and recorded as skipped; the log job's
    // second slot waited behind its own running run and then, by priority, still went before the fulls.
    const skipped = env.catalog.schedule.events().filter((e) => e.outcome === 'skipped');
    expect(skipped.map((e) => env!.catalog.jobs.get(e.jobId!).name).sort()).toEqual(['full-a', 'full-b']);
    expect(exec.calls.map((c) => c.jobName)).toEqual(['log-c', 'log-c', 'full-a', 'full-b']);
    while (gates.length) { gates.shift()!(); await new Promise((r) => setTimeout(r, 0)); }
    await s.idle();
  });

  it('heavy work waits out a maintenance blackout; a log backup does not', async () => {
    env = tempCatalog();
    const blackouts = [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '18:00' }];
    env.addJob('full', '0 10 * * *', { options: { timezone: 'Europe/Berlin', blackouts } });
    env.addJob('log', '0 10 * * *', { backupType: 'log', options: { timezone: 'Europe/Berlin', blackouts } });
    // Wednesday 3 June 2026, 09:59 in Berlin (CEST, UTC+2).
    const clock = new FakeClock('2026-06-03T07:59:00Z');
    const exec = recordingExecutor(() => clock.now());
    const s = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 4, defaultTimezone: 'UTC' });
    s.tick();
    await step(s, clock, 9 * 60);
    expect(exec.calls.map((c) => [c.jobName, c.at])).toEqual([
      ['log', '2026-06-03T08:00:00.000Z'],
      ['full', '2026-06-03T16:00:00.000Z'], // 18:00 Berlin, the end of the blackout
    ]);
    expect(env.catalog.schedule.events().filter((e) => e.outcome === 'deferred')).toHaveLength(1);
  });

  it('a retryable failure comes back with backoff for the failed database only; a non-retryable one does not', async () => {
    env = tempCatalog();
    env.addJob('flaky', '0 10 * * *', { databases: ['mes', 'lims'], options: { timezone: 'UTC', retries: { max: 2, baseSeconds: 60 } } });
    env.addJob('denied', '0 10 * * *', { options: { timezone: 'UTC' } });
    const clock = new FakeClock('2026-06-01T09:59:00Z');
    const exec = recordingExecutor(() => clock.now(), (call) => {
      if (call.jobName === 'denied') return [{ status: 'failed', database: 'mes', error: { code: 'SOURCE_AUTH_FAILED', message: 'refused' } }];
      if (call.trigger === 'schedule') return [{ status: 'succeeded', database: 'mes' }, { status: 'failed', database: 'lims', error: { code: 'SOURCE_UNREACHABLE', message: 'down' } }];
      return call.at < '2026-06-01T10:03:00.000Z'
        ? [{ status: 'failed', database: 'lims', error: { code: 'SOURCE_UNREACHABLE', message: 'down' } }]
        : [{ status: 'succeeded', database: 'lims' }];
    });
    const s = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 4, defaultTimezone: 'UTC' });
    s.tick();
    await step(s, clock, 10);
    expect(exec.calls.filter((c) => c.jobName === 'flaky').map((c) => [c.at, c.trigger, c.databases ?? null])).toEqual([
      ['2026-06-01T10:00:00.000Z', 'schedule', null],
      ['2026-06-01T10:01:00.000Z', 'retry', ['lims']], // 60 s
      ['2026-06-01T10:03:00.000Z', 'retry', ['lims']], // then 120 s
    ]);
    expect(exec.calls.filter((c) => c.jobName === 'denied')).toHaveLength(1);
  });

  it('stop() lets running work finish within the grace period, then aborts it', async () => {
    env = tempCatalog();
    const id = env.addJob('slow', 'hourly', { options: { timezone: 'UTC' } });
    const clock = new FakeClock('2026-06-01T09:59:00Z');
    let aborted = false;
    const s = new Scheduler({
      catalog: env.catalog, clock, maxConcurrent: 1, defaultTimezone: 'UTC',
      execute: ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => { aborted = true; resolve([]); })),
    });
    s.tick();
    clock.advance(MINUTE);
    s.tick();
    expect(s.snapshot().running).toEqual([{ jobId: id, trigger: 'schedule' }]);
    const stopping = s.stop(30_000);
    await new Promise((r) => setTimeout(r, 5));
    expect(aborted).toBe(false);
    clock.advance(30_000);
    await stopping;
    expect(aborted).toBe(true);
    await expect(s.runNow(id)).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });
});
