import { describe, expect, it } from 'vitest';
import { planLogicalRestore } from '../../src-main/core/engines/postgres/plan-logical-restore.ts';
import type { PlannableSet } from '../../src-main/core/engines/engine.ts';

const set = (id: string, type: PlannableSet['type'], finishedAt: string): PlannableSet => ({ id, type, finishedAt, startedAt: finishedAt, chain: {}, parentSetId: null });
const sets = [set('a', 'full', '2026-11-01T02:00:00Z'), set('b', 'copy-only', '2026-11-02T02:00:00Z'), set('c', 'full', '2026-11-03T02:00:00Z')];

describe('planning a logical restore', () => {
  it('takes the newest set without a time', () => {
    expect(planLogicalRestore(sets)).toEqual({ sets: ['c'], stopAt: null, gap: null });
  });
  it('takes the newest set finished at or before the time', () => {
    expect(planLogicalRestore(sets, new Date('2026-11-02T12:00:00Z')).sets).toEqual(['b']);
    expect(planLogicalRestore(sets, new Date('2026-11-01T02:00:00Z')).sets).toEqual(['a']);
  });
  it('names the gap when nothing is old enough', () => {
    expect(planLogicalRestore(sets, new Date('2026-10-01T00:00:00Z'))).toEqual({ sets: [], stopAt: null, gap: 'no full backup finished at or before 2026-10-01T00:00:00.000Z' });
  });
});
