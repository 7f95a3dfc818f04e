import crypto from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { dueDrills, protectedDatabases, DRILL_BLACKOUTS_SETTING, DRILL_PERIOD_SETTING } from '../../src-main/core/drills/due-drills.ts';
import { sendDrillOutcome } from '../../src-main/core/drills/drill-alerts.ts';
import { drillSummaries } from '../../src-main/core/drills/drill-summary.ts';
import { AlertService } from '../../src-main/core/alerts/alert-service.ts';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';
import { newId } from '../../src-main/core/util/ids.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// The agent's side of the rotation: which protected databases (from the jobs) are due, with the job's and
// the site's blackouts and periods, and the alerts for a failed drill and for a database past its period.
let ctx: CoreContext;
let alerts: AlertService;
const DAY = 86_400_000;

beforeEach(async () => {
  ctx = await openCore({ home: tempDir(), logger: nullLogger });
  alerts = new AlertService({ catalog: ctx.catalog, clock: new FakeClock(new Date()), channels: [], repeatIntervalMs: () => 3_600_000 });
  const src = ctx.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: '127.0.0.1', port: 1, user: 'x', maintenanceDb: 'postgres' } });
  const tgt = ctx.catalog.targets.add({ name: 'nas', kind: 'local', config: { path: tempDir() } });
  ctx.catalog.jobs.add({ name: 'mes', sourceId: src.id, databases: ['mes', 'historian'], targetIds: [tgt.id], options: { drillPeriodDays: 14, timezone: 'UTC', blackouts: [{ from: '06:00', to: '22:00' }] } });
  ctx.catalog.jobs.add({ name: 'lab', sourceId: src.id, databases: ['lims', 'mes'], targetIds: [tgt.id] });
  ctx.catalog.jobs.add({ name: 'scratch', sourceId: src.id, databases: ['tmp'], targetIds: [tgt.id], options: { drills: false } });
  for (const db of ['mes', 'historian', 'lims', 'tmp']) recordSet(db, tgt.id);
});
afterEach(() => closeCore(ctx));
afterAll(() => cleanupTemp());

function recordSet(database: string, targetId: string): void {
  const setId = newId('set');
  const sha = crypto.createHash('sha256').update(database).digest('hex');
  const at = new Date(Date.now() - DAY).toISOString();
  ctx.catalog.sets.record({
    manifest: { format: 'lifeboat-set', formatVersion: 1, setId, engine: 'postgres', server: 'plant-pg', database, serverVersion: '15', type: 'full', parentSetId: null, chain: {}, startedAt: at, finishedAt: at, toolVersions: {}, appVersion: 't', encryption: { scheme: 'none' }, artifacts: [{ name: 'data.dump', role: 'dump', bytes: 1, sha256: sha, rawBytes: 1, rawSha256: sha, compression: 'none', encryption: 'none' }], probes: [], tags: [], job: null },
    path: `lifeboat/plant-pg/${database}/${setId}`, manifestSha256: sha, runId: null, jobId: null, copies: [{ targetId }],
  });
}

function pastDrill(database: string, daysAgo: number, status: 'succeeded' | 'failed'): void {
  const repo = ctx.catalog.drills;
  const d = repo.begin({ runId: null, setId: null, server: 'plant-pg', database, scratchName: `lifeboat_drill_${database}_x`, startedAt: new Date(Date.now() - daysAgo * DAY).toISOString() });
  repo.finish(d.id, { status, restoreMs: 120_000, achievedRpoMs: DAY, checks: [{ kind: 'restore', name: 'restore', status: status === 'succeeded' ? 'passed' : 'failed', detail: 'x' }], errorMessage: status === 'failed' ? 'DBCC CHECKDB: 2 consistency errors' : null });
  repo.markScratchDropped(d.id);
}

describe('due drills from the catalog', () => {
  it('takes the protected databases from the enabled jobs, with the strictest period and every blackout', () => {
    ctx.catalog.setSetting(DRILL_PERIOD_SETTING, '30');
    ctx.catalog.setSetting(DRILL_BLACKOUTS_SETTING, JSON.stringify([{ days: [0], from: '00:00', to: '24:00' }]));
    const dbs = protectedDatabases(ctx);
    expect(dbs.map((d) => [d.database, d.periodMs / DAY, d.blackouts.length])).toEqual([['lims', 30, 1], ['mes', 14, 2], ['historian', 14, 2]]);
    expect(dbs.every((d) => d.drillable)).toBe(true);
  });

  it('starts nothing inside a blackout, and the most urgent database first outside one', async () => {
    const inside = new Date(Date.now() + DAY); inside.setUTCHours(12, 0, 0, 0);
    const outside = new Date(Date.now() + DAY); outside.setUTCHours(23, 0, 0, 0);
    // lims (no blackout of its own) is due inside the mes job's blackout, mes/historian are not.
    expect((await dueDrills(ctx, inside)).due.map((d) => d.database)).toEqual(['lims']);
    pastDrill('lims', 1, 'succeeded');
    expect((await dueDrills(ctx, inside)).due).toEqual([]);
    expect((await dueDrills(ctx, outside)).due.map((d) => d.database)).toEqual(['mes']);
  });

  it('raises "not drilled within its period" and clears it once the database is drilled', async () => {
    pastDrill('historian', 20, 'succeeded');
    const r = await dueDrills(ctx, new Date(), { alerts });
    expect(r.overdue.map((d) => d.database)).toEqual(['historian']);
    const open = ctx.catalog.alerts.openFor('drill-overdue:plant-pg/historian')!;
    expect(open).toMatchObject({ rule: 'drill-overdue', severity: 'warning', subject: 'historian on plant-pg was not drilled within its period' });
    pastDrill('historian', 0, 'succeeded');
    await dueDrills(ctx, new Date(), { alerts });
    expect(ctx.catalog.alerts.openFor('drill-overdue:plant-pg/historian')).toBeUndefined();
  });

  it('raises an alert for a failed drill, cleared by the next passing one, and the summary shows both', async () => {
    pastDrill('mes', 2, 'failed');
    const repo = ctx.catalog.drills;
    await sendDrillOutcome(alerts, repo.list({ database: 'mes' })[0]!);
    expect(ctx.catalog.alerts.openFor('drill-failed:plant-pg/mes')!.message).toBe('DBCC CHECKDB: 2 consistency errors');
    ctx.catalog.objectives.set({ server: 'plant-pg', database: 'mes', rtoSeconds: 60 });
    let s = drillSummaries(ctx).find((x) => x.database === 'mes')!;
    expect(s).toMatchObject({ lastDrillStatus: 'failed', lastSucceededAt: null, measuredRtoSeconds: null, rtoMet: null, checksFailed: 1 });
    pastDrill('mes', 1, 'succeeded');
    await sendDrillOutcome(alerts, repo.list({ database: 'mes' })[0]!);
    expect(ctx.catalog.alerts.openFor('drill-failed:plant-pg/mes')).toBeUndefined();
    s = drillSummaries(ctx).find((x) => x.database === 'mes')!;
    // 120 s measured against a 60 s objective: the RTO is not met, and the dashboard must say so.
    expect(s).toMatchObject({ lastDrillStatus: 'succeeded', measuredRtoSeconds: 120, rtoObjectiveSeconds: 60, rtoMet: false, overdue: false, periodDays: 14 });
  });
});
