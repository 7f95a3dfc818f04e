import type { Catalog } from '../catalog/catalog.ts';
import type { JobRecord } from '../catalog/jobs-repo.ts';
import { rpoState } from './live-rpo.ts';
import { copyRule, type CopyRule } from './copy-rule.ts';

export type StatusWord = 'ok' | 'running' | 'warning' | 'failing' | 'unprotected';

export interface DatabaseStatus {
  server: string;
  database: string;
  status: StatusWord;
  /** Why the status is not 'ok', in a sentence. */
  reason: string | null;
  jobs: string[];
  liveRpoSeconds: number | null;
  rpoSeconds: number | null;
  rtoSeconds: number | null;
  rpoBreached: boolean;
  newestVerifiedAt: string | null;
  lastRun: { runId: string; status: string; trigger: string; startedAt: string; finishedAt: string | null; errorMessage: string | null } | null;
  nextRunAt: string | null;
  /** Copies present of the newest set, and on how many targets. */
  copies: number;
  /** 3-2-1-1-0: copies, media, off site, offline, errors (see copy-rule.ts). */
  rule: CopyRule;
  openAlerts: number;
}

/**
 * One row per protected database (every database of every job, and every database with an objective):
 * the dashboard's and the tray's source of truth.
 */
export function databaseStatuses(catalog: Catalog, now: Date, nextRuns: (job: JobRecord) => Date[]): DatabaseStatus[] {
  const jobs = catalog.jobs.list();
  const keys = new Map<string, { server: string; database: string; jobs: JobRecord[] }>();
  const key = (s: string, d: string) => `${s}\u0000${d}`;
  for (const j of jobs) {
    const server = catalog.sources.find(j.sourceId)?.name ?? j.sourceId;
    for (const d of j.databases) {
      const k = key(server, d);
      if (!keys.has(k)) keys.set(k, { server, database: d, jobs: [] });
      keys.get(k)!.jobs.push(j);
    }
  }
  for (const o of catalog.objectives.list()) if (!keys.has(key(o.server, o.database))) keys.set(key(o.server, o.database), { server: o.server, database: o.database, jobs: [] });
  const openAlerts = catalog.alerts.list({ status: 'active', limit: 1000 });
  return [...keys.values()].map(({ server, database, jobs: dbJobs }) => {
    const rpo = rpoState(catalog, server, database, now);
    const runs = dbJobs.flatMap((j) => catalog.runs.list({ jobId: j.id, kind: 'backup', limit: 20 })).filter((r) => r.databaseName === database)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const last = runs[0] ?? null;
    const sets = catalog.sets.list({ server, database });
    const newestSet = sets.at(-1);
    const rule = copyRule(catalog, server, database, sets);
    const next = dbJobs.flatMap((j) => { try { return nextRuns(j); } catch { return []; } }).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
    const alerts = openAlerts.filter((a) => a.detail.database === database && (a.detail.server === undefined || a.detail.server === server));
    let status: StatusWord = 'ok';
    let reason: string | null = null;
    if (last?.status === 'running') { status = 'running'; }
    else if (last?.status === 'failed') { status = 'failing'; reason = last.errorMessage; }
    else if (rpo.breached) {
      status = 'failing';
      reason = dbJobs.length === 0 ? 'no job backs this database up, and it has a recovery point objective'
        : rpo.liveRpoSeconds === null ? 'no verified backup yet' : 'the recovery point objective is missed';
    }
    else if (dbJobs.length === 0 && !newestSet) { status = 'unprotected'; reason = 'no job backs this database up'; }
    else if (!last && !newestSet) { status = 'warning'; reason = 'never backed up'; }
    else if (last?.status === 'partial' || alerts.length > 0) { status = 'warning'; reason = last?.status === 'partial' ? last.errorMessage : alerts[0]!.subject; }
    return {
      server, database, status, reason, jobs: dbJobs.map((j) => j.name), liveRpoSeconds: rpo.liveRpoSeconds, rpoSeconds: rpo.rpoSeconds, rtoSeconds: rpo.rtoSeconds,
      rpoBreached: rpo.breached, newestVerifiedAt: rpo.newestVerifiedAt,
      lastRun: last ? { runId: last.id, status: last.status, trigger: last.trigger, startedAt: last.startedAt, finishedAt: last.finishedAt, errorMessage: last.errorMessage } : null,
      nextRunAt: next ? next.toISOString() : null,
      copies: rule.copies,
      rule,
      openAlerts: alerts.length,
    };
  });
}
