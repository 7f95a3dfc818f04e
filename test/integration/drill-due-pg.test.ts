import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { runDueDrills, DRILL_SERVER_SETTING } from '../../src-main/core/drills/due-drills.ts';
import { cleanupAbandonedDrills } from '../../src-main/core/drills/cleanup-drills.ts';
import { saveProbes } from '../../src-main/core/drills/probe-query.ts';
import { AlertService } from '../../src-main/core/alerts/alert-service.ts';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';

// The agent's timer path on real PostgreSQL: runDueDrills picks the due database, drills it on the configured
// drill server under trigger 'schedule', and a failed drill raises an alert that the next passing drill clears.
let pg: PgServer;
let home: string;
let ctx: CoreContext;
let alerts: AlertService;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  await pg.createDatabase('qms');
  await pg.query('qms', 'CREATE TABLE deviations AS SELECT g AS id, now() AS opened FROM generate_series(1, 800) g; ALTER TABLE deviations ADD PRIMARY KEY (id)');
  for (const name of ['plant-pg', 'drill-box']) {
    const r = await runCli(home, ['source', 'add', name, '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--password-env', 'PW'], { env: { PW: pg.password } });
    expect(r.code, r.stderr).toBe(0);
  }
  await runCli(home, ['target', 'add', 'nas', '--kind', 'local', '--path', tempDir()]);
  await runCli(home, ['job', 'add', 'qms', '--source', 'plant-pg', '--database', 'qms', '--target', 'nas']);
  expect((await runCli(home, ['job', 'run', 'qms'])).code).toBe(0);
  ctx = await openCore({ home, logger: nullLogger, actor: 'scheduler' });
  alerts = new AlertService({ catalog: ctx.catalog, clock: new FakeClock(new Date()), channels: [], repeatIntervalMs: () => 3_600_000 });
  ctx.catalog.setSetting(DRILL_SERVER_SETTING, 'drill-box');
});
afterAll(async () => { if (ctx) closeCore(ctx); await pg?.stop(); cleanupTemp(); });

describe('scheduled drills (the agent timer)', () => {
  it('drills the due database on the drill server, raises an alert when it fails and clears it when it passes', async () => {
    expect(await cleanupAbandonedDrills(ctx, { alerts })).toEqual([]);
    saveProbes(ctx, 'plant-pg', 'qms', [{ name: 'deviation count', sql: 'SELECT count(*) FROM deviations', expect: '= 801' }]);
    const soon = new Date(Date.now() + 60_000);
    const [failed, ...rest] = await runDueDrills(ctx, soon, { alerts });
    expect(rest).toEqual([]);
    expect(failed).toMatchObject({ status: 'failed', drillServer: 'drill-box', server: 'plant-pg', database: 'qms', scratchDropped: true });
    expect(ctx.catalog.runs.get(failed!.runId!).trigger).toBe('schedule');
    expect(ctx.catalog.alerts.openFor('drill-failed:plant-pg/qms')).toMatchObject({ rule: 'drill-failed', severity: 'error' });
    expect(ctx.catalog.alerts.openFor('drill-failed:plant-pg/qms')!.message).toContain('deviation count: returned 800, expected = 801');

    // Right after a failure the rotation waits (retry back-off) instead of drilling again at once.
    expect(await runDueDrills(ctx, new Date(soon.getTime() + 60_000), { alerts })).toEqual([]);

    saveProbes(ctx, 'plant-pg', 'qms', [{ name: 'deviation count', sql: 'SELECT count(*) FROM deviations', expect: '= 800' }]);
    const [passed] = await runDueDrills(ctx, new Date(soon.getTime() + 7 * 3_600_000), { alerts });
    expect(passed).toMatchObject({ status: 'succeeded', drillServer: 'drill-box' });
    expect(ctx.catalog.alerts.openFor('drill-failed:plant-pg/qms')).toBeUndefined();
    expect((await pg.query<{ n: string }>('postgres', "SELECT count(*)::text AS n FROM pg_database WHERE datname LIKE 'lifeboat_drill_%'"))[0]!.n).toBe('0');
    // Passed: nothing is due again until the last part of the period.
    expect(await runDueDrills(ctx, new Date(soon.getTime() + 8 * 3_600_000), { alerts })).toEqual([]);
  });
});
