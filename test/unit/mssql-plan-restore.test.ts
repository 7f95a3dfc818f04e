import { describe, expect, it } from 'vitest';
import { planRestore } from '../../src-main/core/engines/mssql/plan-restore.ts';
import type { PlannableSet } from '../../src-main/core/engines/engine.ts';

// LSNs of 17+ digits, as SQL Server writes them: a JS number would round these.
const L = (n: number) => (37000000012800000n + BigInt(n)).toString();
const T = (min: number) => new Date(Date.UTC(2026, 2, 1, 2, 0) + min * 60_000).toISOString();
const FORK = '6f9619ff-8b86-d011-b42d-00c04fc964ff';

function set(id: string, type: PlannableSet['type'], min: number, chain: Record<string, string | boolean | null>): PlannableSet {
  return { id, type, startedAt: T(min - 1), finishedAt: T(min), parentSetId: null, chain: { recoveryForkId: FORK, isCopyOnly: false, ...chain } };
}
const full = (id: string, min: number, first: number, ckpt: number, last: number, extra = {}) =>
  set(id, 'full', min, { firstLsn: L(first), checkpointLsn: L(ckpt), lastLsn: L(last), differentialBaseLsn: null, ...extra });
const diff = (id: string, min: number, base: number, first: number, last: number, extra = {}) =>
  set(id, 'diff', min, { firstLsn: L(first), checkpointLsn: L(first), lastLsn: L(last), differentialBaseLsn: L(base), ...extra });
const log = (id: string, min: number, first: number, last: number, extra = {}) =>
  set(id, 'log', min, { firstLsn: L(first), lastLsn: L(last), ...extra });

describe('planRestore (SQL Server chains)', () => {
  it('full only', () => {
    const p = planRestore([full('F1', 10, 100, 110, 120)]);
    expect(p).toEqual({ sets: ['F1'], stopAt: null, gap: null });
  });

  it('picks the newest full finished at or before the target time', () => {
    const sets = [full('F1', 10, 100, 110, 120), full('F2', 100, 900, 910, 920)];
    expect(planRestore(sets, new Date(T(50))).sets).toEqual(['F1']);
    expect(planRestore(sets, new Date(T(100))).sets).toEqual(['F2']);
    expect(planRestore(sets, new Date(T(5))).gap).toBe(`no full backup finished at or before ${T(5)}`);
  });

  it('full + diff', () => {
    const p = planRestore([full('F1', 10, 100, 110, 120), diff('D1', 60, 110, 300, 320)]);
    expect(p).toEqual({ sets: ['F1', 'D1'], stopAt: null, gap: null });
  });

  it('two diffs: the newest wins', () => {
    const sets = [full('F1', 10, 100, 110, 120), diff('D1', 60, 110, 300, 320), diff('D2', 120, 110, 500, 520)];
    expect(planRestore(sets).sets).toEqual(['F1', 'D2']);
    expect(planRestore(sets, new Date(T(90))).sets).toEqual(['F1', 'D1']);
  });

  it('full + diff + logs to a time inside the third log after the diff; logs before the diff are skipped', () => {
    const sets = [
      full('F1', 10, 100, 110, 120),
      log('L0', 20, 100, 200),
      diff('D1', 30, 110, 250, 260),
      log('L1', 40, 200, 300),
      log('L2', 50, 300, 400),
      log('L3', 60, 400, 500),
      log('L4', 70, 500, 600),
    ];
    const at = new Date(T(55));
    const p = planRestore(sets, at);
    expect(p.sets).toEqual(['F1', 'D1', 'L1', 'L2', 'L3']);
    expect(p.stopAt?.toISOString()).toBe(at.toISOString());
    expect(p.gap).toBeNull();
  });

  it('names a missing log exactly', () => {
    const sets = [full('F1', 10, 100, 110, 120), log('L1', 20, 100, 200), log('L3', 40, 300, 400)];
    const p = planRestore(sets, new Date(T(35)));
    expect(p.sets).toEqual(['F1', 'L1']);
    expect(p.stopAt).toBeNull();
    expect(p.gap).toBe(`log chain broken after set L1 (ends at LSN ${L(200)}): the next log set L3 begins at LSN ${L(300)}; the log backup covering LSN ${L(200)} to ${L(300)} is missing`);
    expect(planRestore(sets).gap).toContain(`covering LSN ${L(200)} to ${L(300)}`);
  });

  it('says when no log covers the target time', () => {
    const sets = [full('F1', 10, 100, 110, 120), log('L1', 20, 100, 200)];
    expect(planRestore(sets, new Date(T(30))).gap).toBe(`no log backup covers ${T(30)}: the newest log, set L1, ends at ${T(20)} (LSN ${L(200)})`);
    expect(planRestore([full('F1', 10, 100, 110, 120)], new Date(T(30))).gap).toContain('no log backup after set F1');
  });

  it('a copy-only full is a base for logs but never for a differential', () => {
    const sets = [
      full('F1', 10, 100, 110, 120),
      full('C1', 30, 250, 260, 270, { isCopyOnly: true }),
      // D2's base is F1: a copy-only full does not reset the differential base.
      diff('D2', 40, 110, 300, 320),
      diff('Dx', 45, 260, 330, 340),
      log('L1', 50, 100, 400),
    ];
    const p = planRestore(sets, new Date(T(50)));
    expect(p.sets).toEqual(['C1', 'L1']);
    expect(p.stopAt?.toISOString()).toBe(T(50));
    const copyOnlyType = planRestore([{ ...sets[1]!, type: 'copy-only', chain: { ...sets[1]!.chain, isCopyOnly: false } }, sets[3]!]);
    expect(copyOnlyType.sets).toEqual(['C1']);
  });

  it('does not mix in sets from another recovery fork', () => {
    const other = { recoveryForkId: 'a0a0a0a0-0000-0000-0000-000000000001' };
    const sets = [
      full('F1', 10, 100, 110, 120),
      log('L1', 20, 100, 200),
      diff('Dfork', 25, 110, 210, 220, other),
      log('Lfork', 30, 200, 300, other),
      log('L2', 40, 200, 300),
    ];
    const p = planRestore(sets, new Date(T(35)));
    expect(p.sets).toEqual(['F1', 'L1', 'L2']);
    expect(p.gap).toBeNull();
    const onlyFork = planRestore(sets.filter((s) => s.id !== 'L2'), new Date(T(35)));
    expect(onlyFork.sets).toEqual(['F1', 'L1']);
    expect(onlyFork.gap).toContain('no log backup covers');
  });

  it("reaches a set's own finish time (after shipping) without demanding a later log", () => {
    // The server finished each backup a minute before Lifeboat finished shipping it.
    const shipped = (x: PlannableSet, min: number) => ({ ...x, chain: { ...x.chain, backupFinishedAt: T(min - 1) } });
    const sets = [shipped(full('F1', 10, 100, 110, 120), 10), shipped(diff('D1', 20, 110, 200, 210), 20), shipped(log('L1', 30, 100, 300), 30)];
    expect(planRestore(sets.slice(0, 2), new Date(T(20)))).toEqual({ sets: ['F1', 'D1'], stopAt: null, gap: null });
    expect(planRestore(sets, new Date(T(30)))).toEqual({ sets: ['F1', 'D1', 'L1'], stopAt: new Date(T(30)), gap: null });
    // A base counts from when the server finished it.
    expect(planRestore(sets, new Date(Date.parse(T(9)) + 1000)).sets).toEqual(['F1']);
  });

  it('compares LSNs as integers, not as text or JS numbers', () => {
    // 37000000012800037 and 37000000012800040 are the same JS number; as LSNs they differ.
    const a = { firstLsn: '37000000012800000', checkpointLsn: '37000000012800010', lastLsn: '37000000012800037' };
    const sets = [
      set('F1', 'full', 10, { ...a, differentialBaseLsn: null }),
      set('L1', 'log', 20, { firstLsn: '37000000012800000', lastLsn: '37000000012800040' }),
      set('L2', 'log', 30, { firstLsn: '37000000012800040', lastLsn: '100000000000000000' }),
    ];
    expect(planRestore(sets).sets).toEqual(['F1', 'L1', 'L2']);
  });
});
