import { inBlackout, type MaintenanceBlackout } from '../scheduler/job-policy.ts';

/** A protected database as the rotation sees it. */
export interface PlannerDatabase {
  server: string;
  database: string;
  /** Every database must pass a drill at least once per period. */
  periodMs: number;
  /** Maintenance blackouts (the scheduler's type): no drill starts inside one, nor runs into one. */
  blackouts: ReadonlyArray<MaintenanceBlackout>;
  timezone: string;
  /** Since when the database is protected: the first period counts from here. */
  protectedSince: Date;
  /** How long a drill of it is expected to take (from the last measured restore); 0 when unknown. */
  estimatedMs?: number;
  /** False while the database has no restorable set: nothing to drill yet. */
  drillable?: boolean;
}

export interface PastDrill {
  server: string;
  database: string;
  startedAt: Date;
  status: 'running' | 'succeeded' | 'failed';
}

export interface PlannerOptions {
  /** The part of the period before its end in which the next drill becomes eligible (default 0.2). */
  leadFraction?: number;
  /** After a failed drill, wait this long before trying again (default 6 h). */
  retryAfterMs?: number;
  /** Drills at once, across all databases (default 1: a drill loads the drill server). */
  maxConcurrent?: number;
}

export interface DrillDecision {
  server: string;
  database: string;
  /** When the database's period runs out: the last passing drill (or protection start) plus the period. */
  deadline: Date;
  overdue: boolean;
  reason: string;
}

const STEP_MS = 5 * 60_000;

/**
 * The drill rotation, pure: given the protected databases, the drills so far and a moment, which drills to
 * start now. A database becomes eligible in the last `leadFraction` of its period (at once when never
 * drilled), and again `retryAfterMs` after a failure. Eligible databases go in deadline order; starts are
 * spaced (period / 10n after another database's drill) so drills spread over the period instead of bunching, except for a database close
 * to its deadline. Nothing starts inside a blackout or when its expected duration would reach into one.
 */
export function dueNow(dbs: ReadonlyArray<PlannerDatabase>, past: ReadonlyArray<PastDrill>, now: Date, opts: PlannerOptions = {}): DrillDecision[] {
  const lead = opts.leadFraction ?? 0.2;
  const retryAfter = opts.retryAfterMs ?? 6 * 3_600_000;
  const running = past.filter((p) => p.status === 'running').length;
  const free = (opts.maxConcurrent ?? 1) - running;
  if (free <= 0 || dbs.length === 0) return [];
  const t = now.getTime();
  const candidates: DrillDecision[] = [];
  for (const db of dbs) {
    if (db.drillable === false) continue;
    const mine = past.filter((p) => p.server === db.server && p.database === db.database);
    if (mine.some((p) => p.status === 'running')) continue;
    const deadline = deadlineOf(db, mine);
    const lastOk = lastOf(mine, 'succeeded');
    let eligible = lastOk === null ? db.protectedSince.getTime() : lastOk + db.periodMs * (1 - lead);
    const lastFail = lastOf(mine, 'failed');
    if (lastFail !== null && (lastOk === null || lastFail > lastOk)) eligible = Math.max(eligible, lastFail + retryAfter);
    if (t < eligible) continue;
    if (blocked(db, now)) continue;
    const urgent = deadline.getTime() - t <= (db.periodMs * lead) / 2;
    const gap = db.periodMs / (10 * dbs.length);
    // Spacing is between databases; a database's own next drill (or retry) is governed by eligibility above.
    const lastOther = Math.max(-Infinity, ...past.filter((p) => p.server !== db.server || p.database !== db.database).map((p) => p.startedAt.getTime()));
    if (!urgent && t - lastOther < gap) continue;
    candidates.push({
      server: db.server, database: db.database, deadline, overdue: t > deadline.getTime(),
      reason: lastOk === null ? 'never drilled' : `last passing drill ${new Date(lastOk).toISOString()}; period ends ${deadline.toISOString()}`,
    });
  }
  return candidates.sort((a, b) => a.deadline.getTime() - b.deadline.getTime()).slice(0, free);
}

/** Databases whose period ran out without a passing drill (for the "not drilled in its period" alert). */
export function overdue(dbs: ReadonlyArray<PlannerDatabase>, past: ReadonlyArray<PastDrill>, now: Date): DrillDecision[] {
  return dbs.filter((db) => db.drillable !== false).flatMap((db) => {
    const mine = past.filter((p) => p.server === db.server && p.database === db.database);
    const deadline = deadlineOf(db, mine);
    const lastOk = lastOf(mine, 'succeeded');
    return now.getTime() > deadline.getTime()
      ? [{ server: db.server, database: db.database, deadline, overdue: true, reason: lastOk === null ? 'never drilled' : `last passing drill ${new Date(lastOk).toISOString()}` }]
      : [];
  });
}

/**
 * The plan ahead: steps through time from `from` for `days`, assuming each drill passes and takes its
 * estimated time. What `drill plan` shows; the agent itself only ever asks dueNow.
 */
export function planAhead(dbs: ReadonlyArray<PlannerDatabase>, past: ReadonlyArray<PastDrill>, from: Date, days: number, opts: PlannerOptions = {}): { at: Date; server: string; database: string; reason: string }[] {
  const sim: PastDrill[] = past.filter((p) => p.status !== 'running').map((p) => ({ ...p }));
  const out: { at: Date; server: string; database: string; reason: string }[] = [];
  const end = from.getTime() + days * 86_400_000;
  const busyUntil = new Map<PastDrill, number>();
  for (let t = from.getTime(); t <= end; t += 15 * 60_000) {
    for (const [p, until] of busyUntil) if (until <= t) { p.status = 'succeeded'; busyUntil.delete(p); }
    for (const d of dueNow(dbs, sim, new Date(t), opts)) {
      const db = dbs.find((x) => x.server === d.server && x.database === d.database)!;
      const p: PastDrill = { server: d.server, database: d.database, startedAt: new Date(t), status: 'running' };
      sim.push(p);
      busyUntil.set(p, t + Math.max(db.estimatedMs ?? 0, 60_000));
      out.push({ at: new Date(t), server: d.server, database: d.database, reason: d.reason });
    }
  }
  return out;
}

function deadlineOf(db: PlannerDatabase, mine: ReadonlyArray<PastDrill>): Date {
  const lastOk = lastOf(mine, 'succeeded');
  return new Date((lastOk ?? db.protectedSince.getTime()) + db.periodMs);
}

function lastOf(mine: ReadonlyArray<PastDrill>, status: PastDrill['status']): number | null {
  const ts = mine.filter((p) => p.status === status).map((p) => p.startedAt.getTime());
  return ts.length ? Math.max(...ts) : null;
}

/** Inside a blackout now, or would be before the expected end (checked every 5 minutes of the window). */
function blocked(db: PlannerDatabase, now: Date): boolean {
  if (db.blackouts.length === 0) return false;
  const end = now.getTime() + (db.estimatedMs ?? 0);
  for (let t = now.getTime(); t <= end; t += STEP_MS) if (inBlackout(new Date(t), db.timezone, db.blackouts)) return true;
  return inBlackout(new Date(end), db.timezone, db.blackouts);
}
