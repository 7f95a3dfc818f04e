import type { RetentionPolicy } from './policy.ts';

export interface RetentionSet {
  id: string;
  /** Sets are grouped per database: server + database. */
  server: string;
  database: string;
  type: 'full' | 'diff' | 'log' | 'copy-only';
  finishedAt: Date;
  parentSetId: string | null;
  legalHold: boolean;
  /** A passing verification of this set's copy exists. */
  verified: boolean;
}

export interface IncompleteSet {
  path: string;
  newest: Date;
}

export interface RetentionPlan {
  keep: { id: string; reasons: string[] }[];
  remove: { id: string }[];
  /** Incomplete set folders old enough to be cleaned. */
  clean: string[];
}

type Bucket = 'daily' | 'weekly' | 'monthly' | 'yearly';
const BUCKETS: Bucket[] = ['daily', 'weekly', 'monthly', 'yearly'];

/**
 * Decides what a target keeps. Pure: the same sets, policy and time give the same plan.
 * Per database, over restore points (full, diff, copy-only; newest first): keep-last-N, then the newest
 * point of each of the last D days / W weeks / M months / Y years that have one. Always kept: legal holds;
 * log backups newer than the newest full/diff (they carry the recovery point forward); the newest verified
 * set when nothing kept is verified (never remove the last verified copy); and every set a kept set
 * depends on, through parentSetId, so no kept diff or log loses its base.
 */
export function planRetention(sets: RetentionSet[], policy: RetentionPolicy, now: Date, incomplete: IncompleteSet[] = []): RetentionPlan {
  const reasons = new Map<string, string[]>();
  const keep = (id: string, why: string) => {
    const r = reasons.get(id);
    if (r) { if (!r.includes(why)) r.push(why); } else reasons.set(id, [why]);
  };
  const byId = new Map(sets.map((s) => [s.id, s]));
  const groups = new Map<string, RetentionSet[]>();
  for (const s of sets) {
    const k = `${s.server}\u0000${s.database}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const group of groups.values()) {
    const newestFirst = [...group].sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime() || (a.id < b.id ? 1 : -1));
    const points = newestFirst.filter((s) => s.type !== 'log');
    points.slice(0, policy.keepLast).forEach((s, i) => keep(s.id, `last ${i + 1} of ${policy.keepLast}`));
    for (const bucket of BUCKETS) {
      const limit = policy[bucket];
      let last: string | null = null;
      let taken = 0;
      for (const s of points) {
        if (taken >= limit) break;
        const key = periodKey(s.finishedAt, bucket);
        if (key === last) continue;
        last = key;
        taken++;
        keep(s.id, `${bucket} ${key}`);
      }
    }
    const newestBase = points.find((s) => s.type === 'full' || s.type === 'diff');
    for (const s of newestFirst) {
      if (s.legalHold) keep(s.id, 'legal hold');
      if (s.type === 'log' && (!newestBase || s.finishedAt >= newestBase.finishedAt)) keep(s.id, 'log after the newest full/diff');
    }
    if (!group.some((s) => reasons.has(s.id) && s.verified)) {
      const newestVerified = newestFirst.find((s) => s.verified);
      if (newestVerified) keep(newestVerified.id, 'last verified copy of the database');
    }
  }
  // Chains: a kept set keeps its parent, the parent its own, up to the full.
  for (const id of [...reasons.keys()]) {
    let child = byId.get(id);
    const seen = new Set<string>();
    while (child?.parentSetId && !seen.has(child.parentSetId)) {
      seen.add(child.parentSetId);
      const parent = byId.get(child.parentSetId);
      if (!parent) break;
      keep(parent.id, `needed by ${child.id}`);
      child = parent;
    }
  }
  const cutoff = now.getTime() - policy.incompleteAfterHours * 3600_000;
  return {
    keep: sets.filter((s) => reasons.has(s.id)).map((s) => ({ id: s.id, reasons: reasons.get(s.id)! })),
    remove: sets.filter((s) => !reasons.has(s.id)).map((s) => ({ id: s.id })),
    clean: incomplete.filter((i) => i.newest.getTime() < cutoff).map((i) => i.path),
  };
}

/** The UTC period a time falls in: 2026-11-25, 2026-W48, 2026-11, 2026. */
export function periodKey(d: Date, bucket: Bucket): string {
  const iso = d.toISOString();
  switch (bucket) {
    case 'daily': return iso.slice(0, 10);
    case 'monthly': return iso.slice(0, 7);
    case 'yearly': return iso.slice(0, 4);
    case 'weekly': {
      // ISO 8601 week: the week belongs to the year of its Thursday.
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
      return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
    }
  }
}
