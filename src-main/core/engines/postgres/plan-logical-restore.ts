import type { PlannableSet, RestorePlan } from '../engine.ts';

/**
 * Logical dumps stand alone: the plan is the newest full (or copy-only) set that finished at or before
 * `at`. Without `at`, the newest set.
 */
export function planLogicalRestore(sets: ReadonlyArray<PlannableSet>, at?: Date): RestorePlan {
  const usable = sets
    .filter((s) => s.type === 'full' || s.type === 'copy-only')
    .filter((s) => !at || new Date(s.finishedAt).getTime() <= at.getTime())
    .sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : a.finishedAt > b.finishedAt ? -1 : 0));
  const best = usable[0];
  if (!best) {
    return { sets: [], stopAt: null, gap: at ? `no full backup finished at or before ${at.toISOString()}` : 'no full backup exists' };
  }
  return { sets: [best.id], stopAt: null, gap: null };
}
