import type { CoreContext } from '../context.ts';
import { protectedDatabases } from './due-drills.ts';

/** One row per protected database for the dashboard and the API: the proof of recoverability at a glance. */
export interface DrillSummary {
  server: string;
  database: string;
  periodDays: number;
  lastDrillAt: string | null;
  lastDrillStatus: 'running' | 'succeeded' | 'failed' | null;
  lastSucceededAt: string | null;
  /** Measured restore time of the last passing drill, against the RTO objective (if one is set). */
  measuredRtoSeconds: number | null;
  rtoObjectiveSeconds: number | null;
  rtoMet: boolean | null;
  achievedRpoSeconds: number | null;
  checksPassed: number;
  checksFailed: number;
  checksSkipped: number;
  /** When the period runs out without another passing drill. */
  drillDueBy: string;
  overdue: boolean;
}

export function drillSummaries(ctx: CoreContext, now: Date = new Date()): DrillSummary[] {
  const repo = ctx.catalog.drills;
  return protectedDatabases(ctx).map((db) => {
    const drills = repo.list({ server: db.server, database: db.database, limit: 200 });
    const last = drills[0] ?? null;
    const passed = drills.find((d) => d.status === 'succeeded') ?? null;
    const obj = ctx.catalog.objectives.find(db.server, db.database);
    const measured = passed?.restoreMs != null ? Math.ceil(passed.restoreMs / 1000) : null;
    const rto = obj?.rtoSeconds ?? null;
    const dueBy = new Date((passed ? Date.parse(passed.startedAt) : db.protectedSince.getTime()) + db.periodMs);
    const checks = last?.checks ?? [];
    return {
      server: db.server, database: db.database, periodDays: db.periodMs / 86_400_000,
      lastDrillAt: last?.startedAt ?? null, lastDrillStatus: last?.status ?? null, lastSucceededAt: passed?.startedAt ?? null,
      measuredRtoSeconds: measured, rtoObjectiveSeconds: rto, rtoMet: measured !== null && rto !== null ? measured <= rto : null,
      achievedRpoSeconds: last?.achievedRpoMs != null ? Math.round(last.achievedRpoMs / 1000) : null,
      checksPassed: checks.filter((c) => c.status === 'passed').length,
      checksFailed: checks.filter((c) => c.status === 'failed').length,
      checksSkipped: checks.filter((c) => c.status === 'skipped').length,
      drillDueBy: dueBy.toISOString(), overdue: now.getTime() > dueBy.getTime(),
    };
  });
}
