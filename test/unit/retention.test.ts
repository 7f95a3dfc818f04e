import { describe, expect, it } from 'vitest';
import { planRetention, periodKey, type RetentionSet } from '../../src-main/core/retention/plan-retention.ts';
import { RetentionPolicySchema, parseRetentionPolicy, type RetentionPolicy } from '../../src-main/core/retention/policy.ts';
import { isLifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';

const DAY = 86_400_000;
const START = Date.UTC(2025, 9, 20); // a Monday

/**
 * 400 days of a plant database: a full every Sunday 01:00, a diff (parent: that week's full) on the other
 * days 01:00, and logs at 07:00, 13:00 and 19:00 chained to the previous log or base. Fulls are verified.
 * A second database takes only a weekly full. Retention runs every evening, as the agent would.
 */
function simulate(policy: RetentionPolicy, opts: { holdDay?: number; verifyFulls?: boolean } = {}) {
  const store = new Map<string, RetentionSet>();
  const removedEver = new Set<string>();
  let lastFull: string | null = null;
  let lastInChain: string | null = null;
  const violations: string[] = [];
  for (let day = 0; day < 400; day++) {
    const midnight = START + day * DAY;
    const at = (h: number) => new Date(midnight + h * 3600_000);
    const sunday = new Date(midnight).getUTCDay() === 0;
    const base: RetentionSet = {
      id: `mes-d${String(day).padStart(3, '0')}-${sunday ? 'full' : 'diff'}`, server: 'plant-pg', database: 'mes', type: sunday || lastFull === null ? 'full' : 'diff',
      finishedAt: at(1), parentSetId: sunday || lastFull === null ? null : lastFull, legalHold: day === opts.holdDay, verified: (opts.verifyFulls ?? true) && (sunday || lastFull === null),
    };
    if (base.type === 'full') lastFull = base.id;
    store.set(base.id, base);
    lastInChain = base.id;
    for (const h of [7, 13, 19]) {
      const log: RetentionSet = { id: `mes-d${String(day).padStart(3, '0')}-log${h}`, server: 'plant-pg', database: 'mes', type: 'log', finishedAt: at(h), parentSetId: lastInChain, legalHold: false, verified: false };
      store.set(log.id, log);
      lastInChain = log.id;
    }
    if (sunday) store.set(`lims-d${day}`, { id: `lims-d${day}`, server: 'plant-pg', database: 'lims', type: 'full', finishedAt: at(2), parentSetId: null, legalHold: false, verified: false });

    const now = at(23);
    const sets = [...store.values()];
    const plan = planRetention(sets, policy, now);
    const kept = new Set(plan.keep.map((k) => k.id));
    expect(kept.size + plan.remove.length).toBe(sets.length);
    for (const id of kept) {
      const p = store.get(id)!.parentSetId;
      if (p && store.has(p) && !kept.has(p)) violations.push(`day ${day}: ${id} kept without its parent ${p}`);
    }
    for (const s of sets) if (s.legalHold && !kept.has(s.id)) violations.push(`day ${day}: held ${s.id} removed`);
    const newestBase = sets.filter((s) => s.database === 'mes' && s.type !== 'log').sort((a, b) => +b.finishedAt - +a.finishedAt)[0]!;
    for (const s of sets) if (s.type === 'log' && s.finishedAt >= newestBase.finishedAt && !kept.has(s.id)) violations.push(`day ${day}: recent log ${s.id} removed`);
    if (sets.some((s) => s.database === 'mes' && s.verified) && !sets.some((s) => s.database === 'mes' && s.verified && kept.has(s.id))) violations.push(`day ${day}: last verified copy removed`);
    if (!kept.has(base.id)) violations.push(`day ${day}: newest set removed`);
    for (const r of plan.remove) { store.delete(r.id); removedEver.add(r.id); }
  }
  return { store, violations, removedEver, end: START + 399 * DAY };
}

const policies: { name: string; policy: Partial<RetentionPolicy> }[] = [
  { name: 'typical GFS', policy: { keepLast: 3, daily: 7, weekly: 4, monthly: 6, yearly: 2 } },
  { name: 'keep-last only', policy: { keepLast: 5, daily: 0, weekly: 0, monthly: 0, yearly: 0 } },
  { name: 'long monthly', policy: { keepLast: 1, daily: 3, weekly: 0, monthly: 13, yearly: 1 } },
  { name: 'nothing but the newest', policy: { keepLast: 1, daily: 0, weekly: 0, monthly: 0, yearly: 0 } },
];

describe('planRetention over 400 simulated days', () => {
  for (const { name, policy: p } of policies) {
    it(`${name}: chains intact, holds kept, recent logs kept, buckets honoured, bounded growth`, () => {
      const policy = RetentionPolicySchema.parse(p);
      const { store, violations, end } = simulate(policy, { holdDay: 40 });
      expect(violations).toEqual([]);
      const mes = [...store.values()].filter((s) => s.database === 'mes');
      const points = mes.filter((s) => s.type !== 'log').sort((a, b) => +b.finishedAt - +a.finishedAt);
      // keep-last: the N newest restore points are there.
      const allDays = Array.from({ length: policy.keepLast }, (_, i) => new Date(end - i * DAY).toISOString().slice(0, 10));
      expect(points.slice(0, policy.keepLast).map((s) => s.finishedAt.toISOString().slice(0, 10))).toEqual(allDays);
      // monthly: for each of the last M months, the point of its last day (the newest of that month) survives.
      const months = new Set(points.map((s) => periodKey(s.finishedAt, 'monthly')));
      const lastMonths = [...new Set(Array.from({ length: 400 }, (_, i) => periodKey(new Date(end - i * DAY), 'monthly')))].slice(0, policy.monthly);
      for (const m of lastMonths) expect(months.has(m), `month ${m}`).toBe(true);
      for (const m of lastMonths.slice(1)) {
        const [y, mo] = m.split('-').map(Number) as [number, number];
        const lastDay = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
        expect(points.some((s) => s.finishedAt.toISOString().startsWith(lastDay)), `last day of ${m}`).toBe(true);
      }
      // weekly: the newest point of each of the last W ISO weeks (a Sunday full, except the running week).
      const weeks = [...new Set(Array.from({ length: 400 }, (_, i) => periodKey(new Date(end - i * DAY), 'weekly')))].slice(1, policy.weekly);
      for (const w of weeks) expect(points.some((s) => s.type === 'full' && periodKey(s.finishedAt, 'weekly') === w), `week ${w}`).toBe(true);
      // The day-40 set is on legal hold: it and its full survive 360 days later.
      const held = mes.find((s) => s.legalHold)!;
      expect(held.id).toMatch(/^mes-d040-/);
      if (held.parentSetId) expect(store.has(held.parentSetId)).toBe(true);
      // Kept points are bounded by the policy (plus the hold, and a full per kept diff at most).
      const budget = policy.keepLast + policy.daily + policy.weekly + policy.monthly + policy.yearly + 1;
      expect(points.length).toBeLessThanOrEqual(budget * 2);
      // Every kept log chains, log by log, back to a kept base.
      for (const s of mes.filter((x) => x.type === 'log')) {
        let cur: RetentionSet | undefined = s;
        while (cur && cur.type === 'log') cur = store.get(cur.parentSetId!);
        expect(cur, `chain of ${s.id}`).toBeDefined();
      }
      // The other database (weekly fulls only) is pruned by its own buckets, not mes's.
      const lims = [...store.values()].filter((s) => s.database === 'lims');
      expect(lims.length).toBeGreaterThanOrEqual(Math.min(policy.keepLast, 57));
    });
  }

  it('keeps a diff\'s full when only the diff falls in a bucket, and says why', () => {
    const policy = RetentionPolicySchema.parse({ keepLast: 1, daily: 0, weekly: 0, monthly: 2, yearly: 0 });
    const { store } = simulate(policy);
    const end = START + 399 * DAY;
    const monthEnd = new Date(Date.UTC(new Date(end).getUTCFullYear(), new Date(end).getUTCMonth(), 0));
    const diff = [...store.values()].find((s) => s.finishedAt.toISOString().startsWith(monthEnd.toISOString().slice(0, 10)) && s.type !== 'log')!;
    const plan = planRetention([...store.values()], policy, new Date(end + DAY));
    const reasons = new Map(plan.keep.map((k) => [k.id, k.reasons]));
    expect(reasons.get(diff.id)).toContain(`monthly ${periodKey(diff.finishedAt, 'monthly')}`);
    if (diff.type === 'diff') expect(reasons.get(diff.parentSetId!)).toContain(`needed by ${diff.id}`);
  });

  it('never removes the last verified copy of a database, whatever the policy says', () => {
    const policy = RetentionPolicySchema.parse({ keepLast: 1, daily: 0, weekly: 0, monthly: 0, yearly: 0 });
    const mk = (id: string, day: number, verified: boolean): RetentionSet => ({ id, server: 's', database: 'd', type: 'full', finishedAt: new Date(START + day * DAY), parentSetId: null, legalHold: false, verified });
    const sets = [mk('a', 0, true), mk('b', 1, true), mk('c', 2, false), mk('d', 3, false)];
    const plan = planRetention(sets, policy, new Date(START + 10 * DAY));
    expect(plan.keep.map((k) => k.id).sort()).toEqual(['b', 'd']);
    expect(plan.keep.find((k) => k.id === 'b')!.reasons).toEqual(['last verified copy of the database']);
    expect(plan.remove.map((r) => r.id).sort()).toEqual(['a', 'c']);
  });

  it('cleans incomplete set folders only once they are older than the grace period', () => {
    const policy = RetentionPolicySchema.parse({});
    const now = new Date(START + 100 * DAY);
    const plan = planRetention([], policy, now, [
      { path: 'lifeboat/s/d/old_full', newest: new Date(+now - 25 * 3600_000) },
      { path: 'lifeboat/s/d/running_full', newest: new Date(+now - 23 * 3600_000) },
    ]);
    expect(plan.clean).toEqual(['lifeboat/s/d/old_full']);
  });

  it('computes ISO weeks across a year boundary', () => {
    expect(periodKey(new Date('2026-01-01T12:00:00Z'), 'weekly')).toBe('2026-W01');
    expect(periodKey(new Date('2027-01-01T12:00:00Z'), 'weekly')).toBe('2026-W53');
    expect(periodKey(new Date('2025-12-29T00:00:00Z'), 'weekly')).toBe('2026-W01');
  });

  it('rejects a malformed policy with the field named', () => {
    const err = (() => { try { parseRetentionPolicy({ keepLast: -1 }, 'job nightly'); } catch (e) { return e; } return null; })();
    expect(isLifeboatError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain('keepLast');
  });
});
