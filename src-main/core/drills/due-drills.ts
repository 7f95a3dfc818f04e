import type { CoreContext } from '../context.ts';
import type { AlertInput } from '../catalog/alerts-repo.ts';
import { jobPolicy, type MaintenanceBlackout } from '../scheduler/job-policy.ts';
import { systemTimezone } from '../scheduler/schedule-spec.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { dueNow, overdue, type DrillDecision, type PastDrill, type PlannerDatabase, type PlannerOptions } from './plan-drills.ts';
import { DRILL_OVERDUE_PREFIX, drillOverdueCause, type DrillAlertSink } from './drill-alerts.ts';
import { runDrill, type DrillResult } from './run-drill.ts';

export const DRILL_PERIOD_SETTING = 'drills.periodDays';
export const DRILL_BLACKOUTS_SETTING = 'drills.blackouts';
export const DRILL_SERVER_SETTING = 'drills.scratchServer';
const DAY = 86_400_000;

/**
 * Every database of every enabled job, with its drill period (job option `drillPeriodDays`, else the site
 * setting drills.periodDays, else 30) and blackouts (the job's maintenance blackouts plus the site's
 * drills.blackouts), in the job's time zone. A job with option `drills: false` is left out.
 */
export function protectedDatabases(ctx: CoreContext): PlannerDatabase[] {
  const sitePeriod = Number(ctx.catalog.getSetting(DRILL_PERIOD_SETTING) ?? 30);
  const siteBlackouts = readBlackouts(ctx);
  const tz = ctx.catalog.getSetting('timezone') ?? systemTimezone();
  const byKey = new Map<string, PlannerDatabase>();
  for (const job of ctx.catalog.jobs.list()) {
    if (!job.enabled || job.options.drills === false) continue;
    const server = ctx.catalog.sources.find(job.sourceId)?.name;
    if (!server) continue;
    const policy = jobPolicy(job, tz);
    const days = typeof job.options.drillPeriodDays === 'number' && job.options.drillPeriodDays > 0 ? job.options.drillPeriodDays : sitePeriod;
    for (const database of job.databases) {
      const key = `${server}/${database}`;
      const cur = byKey.get(key);
      if (cur) {
        // Several jobs protect the same database: the strictest period, every blackout.
        byKey.set(key, { ...cur, periodMs: Math.min(cur.periodMs, days * DAY), blackouts: [...cur.blackouts, ...policy.blackouts], protectedSince: new Date(Math.min(cur.protectedSince.getTime(), Date.parse(job.createdAt))) });
        continue;
      }
      const last = ctx.catalog.drills.list({ server, database, limit: 20 }).find((d) => d.status === 'succeeded' && d.restoreMs !== null);
      const drillable = ctx.catalog.sets.list({ server, database }).some((s) => s.copies.some((c) => c.status === 'present'));
      byKey.set(key, {
        server, database, periodMs: days * DAY, blackouts: [...siteBlackouts, ...policy.blackouts], timezone: policy.timezone,
        protectedSince: new Date(job.createdAt), estimatedMs: last ? Math.round(last.restoreMs! * 1.5) + 5 * 60_000 : 30 * 60_000, drillable,
      });
    }
  }
  return [...byKey.values()];
}

export function pastDrills(ctx: CoreContext): PastDrill[] {
  return ctx.catalog.drills.list({ limit: 10_000 }).map((d) => ({ server: d.server, database: d.database, startedAt: new Date(d.startedAt), status: d.status }));
}

/**
 * For the agent's timer: which drills should start now, and which databases are past their period. With an
 * alert service, "not drilled within its period" is raised per database (and cleared once it is drilled);
 * the alert inputs are returned either way.
 */
export async function dueDrills(ctx: CoreContext, now: Date, opts: { alerts?: DrillAlertSink; planner?: PlannerOptions } = {}): Promise<{ due: DrillDecision[]; overdue: DrillDecision[]; alerts: AlertInput[] }> {
  const dbs = protectedDatabases(ctx);
  const past = pastDrills(ctx);
  const due = dueNow(dbs, past, now, opts.planner);
  const late = overdue(dbs, past, now);
  const alerts: AlertInput[] = late.map((d) => ({
    rule: 'drill-overdue', causeKey: drillOverdueCause(d.server, d.database), severity: 'warning',
    subject: `${d.database} on ${d.server} was not drilled within its period`,
    message: `no passing restore drill since ${d.reason.replace(/^last passing drill /, '')}; the period ended ${d.deadline.toISOString()}`,
    detail: { server: d.server, database: d.database, deadline: d.deadline.toISOString() },
  }));
  if (opts.alerts) {
    for (const a of alerts) await opts.alerts.raise(a);
    const keep = new Set(alerts.map((a) => a.causeKey));
    for (const db of dbs) {
      const cause = drillOverdueCause(db.server, db.database);
      if (!keep.has(cause)) await opts.alerts.clear(cause);
    }
  }
  return { due, overdue: late, alerts };
}

/** The agent's timer body: runs what is due now, one after another, on the configured drill server. */
export async function runDueDrills(ctx: CoreContext, now: Date, opts: { alerts?: DrillAlertSink; planner?: PlannerOptions } = {}): Promise<DrillResult[]> {
  const { due } = await dueDrills(ctx, now, opts);
  const scratchServer = ctx.catalog.getSetting(DRILL_SERVER_SETTING);
  const out: DrillResult[] = [];
  for (const d of due) {
    out.push(await runDrill(ctx, { database: d.database, server: d.server, trigger: 'schedule', ...(scratchServer ? { scratchServer } : {}), ...(opts.alerts ? { alerts: opts.alerts } : {}) }));
  }
  return out;
}

function readBlackouts(ctx: CoreContext): MaintenanceBlackout[] {
  const raw = ctx.catalog.getSetting(DRILL_BLACKOUTS_SETTING);
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    if (Array.isArray(v)) return v as MaintenanceBlackout[];
  } catch { /* reported below */ }
  throw new LifeboatError('CONFIG_INVALID', { verb: 'read', thing: 'setting', where: DRILL_BLACKOUTS_SETTING, cause: 'expected a JSON list of {"days":[1,2],"from":"06:00","to":"22:00"}' });
}

export { DRILL_OVERDUE_PREFIX };
