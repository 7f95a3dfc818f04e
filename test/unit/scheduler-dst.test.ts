import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';
import { Scheduler } from '../../src-main/core/scheduler/scheduler.ts';
import { recordingExecutor, tempCatalog } from './scheduler-helpers.ts';

const MINUTE = 60_000;
let env: ReturnType<typeof tempCatalog> | null = null;
afterEach(() => { env?.dispose(); env = null; });

/** Drives a scheduler minute by minute from `from` to `to`, as the agent's loop would (it ticks every second). */
async function drive(jobs: { name: string; schedule: string; timezone: string }[], from: string, to: string) {
  env = tempCatalog();
  const ids = new Map(jobs.map((j) => [env!.addJob(j.name, j.schedule, { options: { timezone: j.timezone } }), j.name]));
  const clock = new FakeClock(from);
  const exec = recordingExecutor(() => clock.now());
  const s = new Scheduler({ catalog: env.catalog, clock, execute: exec.execute, maxConcurrent: 10, defaultTimezone: 'UTC' });
  while (clock.now().getTime() <= new Date(to).getTime()) {
    s.tick();
    await s.idle();
    clock.advance(MINUTE);
  }
  const slotsOf = (name: string) => env!.catalog.schedule.events().filter((e) => ids.get(e.jobId!) === name).map((e) => ({ slot: e.slotAt, outcome: e.outcome })).reverse();
  const runsOf = (name: string) => exec.calls.filter((c) => c.jobName === name);
  return { slotsOf, runsOf };
}

/** Every instant from `start` (inclusive) to `end` (exclusive) in steps of `stepMin` minutes, counted in real (UTC) time. */
function realTimeSlots(start: string, end: string, stepMin: number): string[] {
  const out: string[] = [];
  for (let t = new Date(start).getTime(); t < new Date(end).getTime(); t += stepMin * MINUTE) out.push(new Date(t).toISOString());
  return out;
}

describe('scheduler across daylight-saving changes (fake clock)', () => {
  it('Europe/Berlin spring-forward day (29 March 2026): hourly runs once per real hour (23), 02:30 runs once, after the gap', async () => {
    // Local day: 00:00 CET = 23:00Z on the 28th, to 00:00 CEST = 22:00Z on the 29th: 23 real hours.
    const r = await drive([
      { name: 'hourly', schedule: 'hourly', timezone: 'Europe/Berlin' },
      { name: 'nightly', schedule: '30 2 * * *', timezone: 'Europe/Berlin' },
    ], '2026-03-28T22:30:00Z', '2026-03-29T22:30:00Z');
    const dayStart = '2026-03-28T23:00:00.000Z';
    const dayEnd = '2026-03-29T22:00:00.000Z';
    const hourly = r.runsOf('hourly').map((c) => c.at).filter((t) => t >= dayStart && t < dayEnd);
    expect(hourly).toEqual(realTimeSlots(dayStart, dayEnd, 60));
    expect(hourly).toHaveLength(23);
    const nightly = r.runsOf('nightly').filter((c) => c.at >= dayStart && c.at < dayEnd);
    // 02:30 does not exist that night; a fixed-time job runs once at the first valid time after the gap (03:00 CEST).
    expect(nightly.map((c) => c.at)).toEqual(['2026-03-29T01:00:00.000Z']);
    expect(r.runsOf('nightly').every((c) => c.trigger === 'schedule')).toBe(true);
  });

  it('Europe/Berlin fall-back day (25 October 2026): hourly runs 25 times, 02:30 (which happens twice) runs once', async () => {
    const r = await drive([
      { name: 'hourly', schedule: '0 * * * *', timezone: 'Europe/Berlin' },
      { name: 'nightly', schedule: 'daily 02:30', timezone: 'Europe/Berlin' },
    ], '2026-10-24T21:30:00Z', '2026-10-25T23:30:00Z');
    const dayStart = '2026-10-24T22:00:00.000Z';
    const dayEnd = '2026-10-25T23:00:00.000Z';
    const hourly = r.runsOf('hourly').map((c) => c.at).filter((t) => t >= dayStart && t < dayEnd);
    expect(hourly).toEqual(realTimeSlots(dayStart, dayEnd, 60));
    expect(hourly).toHaveLength(25);
    const nightly = r.runsOf('nightly').filter((c) => c.at >= dayStart && c.at < dayEnd);
    expect(nightly.map((c) => c.at)).toEqual(['2026-10-25T00:30:00.000Z']);
    // Every slot was recorded as run on time; nothing was taken for a missed slot.
    expect(r.slotsOf('hourly').every((s) => s.outcome === 'ran')).toBe(true);
  });

  it('America/New_York: every 30 minutes on the fall-back day gives 50 runs; 01:30 runs once; on the spring-forward day 02:30 runs once', async () => {
    const fall = await drive([
      { name: 'half-hourly', schedule: 'every 30 minutes', timezone: 'America/New_York' },
      { name: 'early', schedule: '30 1 * * *', timezone: 'America/New_York' },
    ], '2026-11-01T03:30:00Z', '2026-11-02T05:30:00Z');
    const dayStart = '2026-11-01T04:00:00.000Z';
    const dayEnd = '2026-11-02T05:00:00.000Z';
    const half = fall.runsOf('half-hourly').map((c) => c.at).filter((t) => t >= dayStart && t < dayEnd);
    expect(half).toEqual(realTimeSlots(dayStart, dayEnd, 30));
    expect(half).toHaveLength(50);
    expect(fall.runsOf('early').filter((c) => c.at >= dayStart && c.at < dayEnd).map((c) => c.at)).toEqual(['2026-11-01T05:30:00.000Z']);
    env!.dispose();
    env = null;

    const spring = await drive([{ name: 'nightly', schedule: '30 2 * * *', timezone: 'America/New_York' }], '2026-03-08T04:30:00Z', '2026-03-09T04:30:00Z');
    expect(spring.runsOf('nightly').map((c) => c.at)).toEqual(['2026-03-08T07:00:00.000Z']);
  });
});
