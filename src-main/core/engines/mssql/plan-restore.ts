import type { PlannableSet, RestorePlan } from '../engine.ts';
import { isFullBackup, readChain, sameFork, type ChainedSet } from './chain-fields.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const byLastLsn = (a: ChainedSet, b: ChainedSet) => (a.lastLsn < b.lastLsn ? -1 : a.lastLsn > b.lastLsn ? 1 : 0);

/**
 * Pure restore planner for SQL Server chains, after dbatools' Select-DbaBackupInformation/Test-DbaLsnChain:
 * the newest full finished at or before `at` (by LSN, not by clock), the newest differential whose base is
 * that full (never a copy-only full), then the logs of the same recovery fork, each starting at or before
 * the point reached so far, up to the first one that finished at or after `at`. STOPAT applies to the last
 * log only. Without `at`, every contiguous log is applied (the newest point).
 *
 * When the chain cannot reach `at` the plan still lists what can be restored and `gap` says exactly which
 * LSN range or time is missing; the caller decides whether a partial restore is acceptable.
 */
export function planRestore(sets: ReadonlyArray<PlannableSet>, at?: Date): RestorePlan {
  const all = sets.map(readChain).filter((s): s is ChainedSet => s !== null);
  const atMs = at?.getTime();
  const before = (s: ChainedSet) => atMs === undefined || s.finishedAt <= atMs;

  const base = all.filter((s) => isFullBackup(s) && before(s)).sort(byLastLsn).at(-1);
  if (!base) {
    return { sets: [], stopAt: null, gap: at ? `no full backup finished at or before ${at.toISOString()}` : 'no full backup exists' };
  }
  const fork = base.recoveryForkId;
  const diff = base.isCopyOnly || base.checkpointLsn === null ? undefined : all
    .filter((s) => s.type === 'diff' && before(s) && sameFork(s, fork) && s.differentialBaseLsn === base.checkpointLsn && s.lastLsn > base.lastLsn)
    .sort(byLastLsn).at(-1);
  const anchor = diff ?? base;
  const plan = [base.id, ...(diff ? [diff.id] : [])];

  // Asking for a set's own finish (restore "this set") must not demand a later log: the set reaches it.
  if (atMs !== undefined && atMs <= anchor.reachesAt) return { sets: plan, stopAt: null, gap: null };

  const logs = all
    .filter((s) => s.type === 'log' && sameFork(s, fork) && s.firstLsn !== s.lastLsn && s.lastLsn > anchor.lastLsn)
    .sort(byLastLsn);
  let reached = anchor.lastLsn;
  let last: ChainedSet = anchor;
  for (;;) {
    const next = logs.find((l) => l.firstLsn <= reached && l.lastLsn > reached);
    if (!next) break;
    plan.push(next.id);
    reached = next.lastLsn;
    last = next;
    if (atMs !== undefined && next.reachesAt >= atMs) return { sets: plan, stopAt: at!, gap: null };
  }
  const later = logs.filter((l) => l.firstLsn > reached).sort((a, b) => (a.firstLsn < b.firstLsn ? -1 : 1))[0];
  if (later) {
    return {
      sets: plan, stopAt: null,
      gap: `log chain broken after set ${last.id} (ends at LSN ${reached}): the next log set ${later.id} begins at LSN ${later.firstLsn}; ` +
        `the log backup covering LSN ${reached} to ${later.firstLsn} is missing`,
    };
  }
  if (atMs === undefined) return { sets: plan, stopAt: null, gap: null };
  return {
    sets: plan, stopAt: null,
    gap: last === anchor
      ? `no log backup after set ${anchor.id} (finished ${iso(anchor.finishedAt)}): ${at!.toISOString()} cannot be reached; the newest restorable point is ${iso(anchor.finishedAt)}`
      : `no log backup covers ${at!.toISOString()}: the newest log, set ${last.id}, ends at ${iso(last.finishedAt)} (LSN ${reached})`,
  };
}
