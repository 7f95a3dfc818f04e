import { describe, expect, it } from 'vitest';
import { dueNow, overdue, planAhead, type PastDrill, type PlannerDatabase } from '../../src-main/core/drills/plan-drills.ts';
import { inBlackout, type MaintenanceBlackout } from '../../src-main/core/scheduler/job-policy.ts';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';

const DAY = 86_400_000;
const MIN = 60_000;
const TZ = 'Europe/Berlin';
// Production hours on weekdays, and the whole Saturday (weekend maintenance of the MES).
const BLACKOUTS: MaintenanceBlackout[] = [{ days: [1, 2, 3, 4, 5], from: '06:00', to: '22:00' }, { days: [6], from: '00:00', to: '24:00' }];
const START = new Date('2026-10-01T00:00:00Z'); // spans the end of summer time on 25 October

function databases(n: number, periodDays: number): PlannerDatabase[] {
  return Array.from({ length: n }, (_, i) => ({
    server: i < 3 ? 'plant-pg' : 'lab-sql', database: ['mes', 'historian', 'lims', 'qms', 'erp'][i]!, periodMs: periodDays * DAY,
    blackouts: BLACKOUTS, timezone: TZ, protectedSince: START, estimatedMs: 45 * MIN,
  }));
}

describe('drill rotation over 60 simulated days', () => {
  it('drills each of 5 databases at least once per 30-day period, never starting inside a blackout, one at a time, spread out', () => {
    const dbs = databases(5, 30);
    const clock = new FakeClock(START);
    const past: (PastDrill & { endsAt: number })[] = [];
    // The historian's first two drills fail (e.g. a probe); the rotation must retry and still meet the period.
    let historianFailures = 2;
    const end = START.getTime() + 60 * DAY;
    while (clock.now().getTime() <= end) {
      const now = clock.now();
      for (const p of past) if (p.status === 'running' && p.endsAt <= now.getTime()) {
        p.status = p.database === 'historian' && historianFailures-- > 0 ? 'failed' : 'succeeded';
      }
      for (const d of dueNow(dbs, past, now)) {
        past.push({ server: d.server, database: d.database, startedAt: now, status: 'running', endsAt: now.getTime() + 40 * MIN });
      }
      clock.advance(15 * MIN);
    }

    expect(past.length).toBeGreaterThanOrEqual(10);
    for (const p of past) {
      expect(inBlackout(p.startedAt, TZ, BLACKOUTS), `started in a blackout: ${p.startedAt.toISOString()}`).toBe(false);
      expect(inBlackout(new Date(p.endsAt), TZ, BLACKOUTS), `ran into a blackout: ${p.startedAt.toISOString()}`).toBe(false);
    }
    const starts = past.map((p) => p.startedAt.getTime()).sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!, 'drills overlapped').toBeGreaterThanOrEqual(40 * MIN);
    for (const db of dbs) {
      const ok = past.filter((p) => p.database === db.database && p.status === 'succeeded').map((p) => p.startedAt.getTime()).sort((a, b) => a - b);
      const marks = [START.getTime(), ...ok, end];
      for (let i = 1; i < marks.length; i++) {
        expect(marks[i]! - marks[i - 1]!, `${db.database}: a period without a passing drill`).toBeLessThanOrEqual(30 * DAY);
      }
    }
    expect(past.filter((p) => p.database === 'historian' && p.status === 'failed')).toHaveLength(2);
    // Spread: the first round is not five drills back to back.
    const firstRound = dbs.map((db) => past.find((p) => p.database === db.database)!.startedAt.getTime()).sort((a, b) => a - b);
    expect(firstRound.at(-1)! - firstRound[0]!).toBeGreaterThan(2 * DAY);
  });

  it('does not start a drill whose expected duration reaches into a blackout', () => {
    const db = { ...databases(1, 30)[0]!, estimatedMs: 9 * 3_600_000 };
    const sundayEvening = new Date('2026-11-22T20:30:00Z'); // 21:30 in Berlin; production starts 06:00 Monday
    expect(inBlackout(sundayEvening, TZ, BLACKOUTS)).toBe(false);
    expect(dueNow([db], [], sundayEvening)).toEqual([]);
    expect(dueNow([{ ...db, estimatedMs: 3_600_000 }], [], sundayEvening).map((d) => d.database)).toEqual(['mes']);
  });

  it('waits for a running drill, retries a failure only after the back-off, and reports databases past their period', () => {
    const [mes, hist] = databases(2, 30);
    const now = new Date('2026-11-22T21:00:00Z');
    expect(dueNow([mes!, hist!], [{ server: 'plant-pg', database: 'lims', startedAt: now, status: 'running' }], now)).toEqual([]);
    const failed: PastDrill[] = [{ server: 'plant-pg', database: 'mes', startedAt: new Date(now.getTime() - 2 * 3_600_000), status: 'failed' }];
    expect(dueNow([mes!], failed, now)).toEqual([]);
    expect(dueNow([mes!], failed, new Date(now.getTime() + 5 * 3_600_000)).map((d) => d.database)).toEqual(['mes']);
    const late = overdue([mes!, hist!], [{ server: 'plant-pg', database: 'mes', startedAt: new Date(now.getTime() - 31 * DAY), status: 'succeeded' }, { server: 'plant-pg', database: 'historian', startedAt: new Date(now.getTime() - 29 * DAY), status: 'succeeded' }], now);
    expect(late.map((d) => d.database)).toEqual(['mes']);
    expect(late[0]!.deadline.toISOString()).toBe(new Date(now.getTime() - DAY).toISOString());
  });

  it('plans ahead the same way the agent decides, for "drill plan"', () => {
    const plan = planAhead(databases(5, 30), [], START, 40);
    const byDb = new Map<string, number>();
    for (const p of plan) {
      expect(inBlackout(p.at, TZ, BLACKOUTS)).toBe(false);
      byDb.set(p.database, (byDb.get(p.database) ?? 0) + 1);
    }
    // 40 days with a 30-day period: each database once, and again before its period ends.
    expect([...byDb.values()]).toEqual([2, 2, 2, 2, 2]);
  });
});
