import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// Acceptance 1 (issue 7): a drill on real PostgreSQL restores into a scratch database, runs amcheck and
// probes, records the measured duration and drops the scratch database; a failing probe fails the drill.
let pg: PgServer;
let home: string;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  await pg.createDatabase('mes');
  await pg.query('mes', `
    CREATE SCHEMA mes;
    CREATE TABLE mes.batches (batch_id bigint PRIMARY KEY, product text NOT NULL, finished_at timestamptz NOT NULL);
    INSERT INTO mes.batches SELECT g, 'P-' || (g % 17), timestamptz '2026-11-01' + g * interval '1 minute' FROM generate_series(1, 5000) g;
    CREATE INDEX batches_by_product ON mes.batches (product, finished_at);
    CREATE TABLE mes.lots (id int PRIMARY KEY, batch_id bigint REFERENCES mes.batches);
    INSERT INTO mes.lots SELECT g, g FROM generate_series(1, 300) g;`);
  await runCli(home, ['source', 'add', 'plant-pg', '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--password-env', 'PW'], { env: { PW: pg.password } });
  await runCli(home, ['target', 'add', 'nas', '--kind', 'local', '--path', tempDir()]);
  await runCli(home, ['job', 'add', 'nightly', '--source', 'plant-pg', '--database', 'mes', '--target', 'nas']);
  const run = await runCli(home, ['--json', 'job', 'run', 'nightly']);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

async function scratchDatabases(): Promise<string[]> {
  return (await pg.query<{ datname: string }>('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat_drill_%'")).map((r) => r.datname);
}

function catalog<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
  try { return fn(db); } finally { db.close(); }
}

describe('a PostgreSQL restore drill', () => {
  it('restores into a scratch database, checks it with amcheck, row counts and probes, records the restore time, and drops it', async () => {
    const r = await runCli(home, ['--json', 'drill', 'run', '--database', 'mes',
      '--probe', 'SELECT max(batch_id) FROM mes.batches', '--expect', '= 5000',
      '--probe', 'SELECT max(finished_at) FROM mes.batches', '--expect', '> 2026-11-04',
      '--probe', 'SELECT count(*) FROM mes.lots l JOIN mes.batches b USING (batch_id)', '--expect', 'between 300 and 300']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const d = r.json;
    expect(d.status).toBe('succeeded');
    expect(d.scratchName).toMatch(/^lifeboat_drill_mes_\d{8}t\d{6}z[0-9a-f]{4}$/);
    expect(d.scratchDropped).toBe(true);
    expect(await scratchDatabases()).toEqual([]);
    expect(d.restoreMs).toBeGreaterThan(0);
    expect(d.achievedRpoMs).toBeGreaterThan(0);

    const amcheck = d.checks.find((c: { kind: string }) => c.kind === 'integrity');
    expect(amcheck).toMatchObject({ name: 'amcheck bt_index_check (heapallindexed)', status: 'passed' });
    expect(amcheck.detail).toMatch(/no damage found \(\d+ indexes checked\)/);
    expect(d.checks.filter((c: { kind: string }) => c.kind === 'row-count').map((c: { name: string; status: string; actual: number }) => [c.name, c.status, c.actual]))
      .toEqual(expect.arrayContaining([['rows mes.batches', 'passed', 5000], ['rows mes.lots', 'passed', 300]]));
    expect(d.checks.filter((c: { kind: string }) => c.kind === 'probe').map((c: { status: string; actual: string }) => [c.status, c.actual]))
      .toEqual([['passed', '5000'], ['passed', '2026-11-04T11:20:00.000Z'], ['passed', '300']]);

    catalog((db) => {
      const row = db.prepare('SELECT status, restore_ms, achieved_rpo_ms, scratch_dropped, scratch_name FROM drills WHERE id = ?').get(d.id) as Record<string, unknown>;
      expect(row).toEqual({ status: 'succeeded', restore_ms: d.restoreMs, achieved_rpo_ms: d.achievedRpoMs, scratch_dropped: 1, scratch_name: d.scratchName });
      // The restore went through restoreSet (integrity gate, L1 on the copy read) into the scratch name.
      const restore = db.prepare('SELECT status, mode, duration_ms FROM restores WHERE destination = ?').get(d.scratchName) as Record<string, unknown>;
      expect(restore).toEqual({ status: 'succeeded', mode: 'new', duration_ms: d.restoreMs });
      const levels = db.prepare("SELECT level, result, triggered_by FROM verifications WHERE set_id = ? AND triggered_by NOT LIKE 'backup%' ORDER BY finished_at").all(d.setId) as { level: number; result: string; triggered_by: string }[];
      expect(levels.some((v) => v.level === 1 && v.triggered_by.startsWith('restore:'))).toBe(true);
      expect(levels.filter((v) => v.level === 3)).toEqual([{ level: 3, result: 'passed', triggered_by: expect.stringMatching(/^drill:manual:/) }]);
    });
  });

  it('fails the drill when a probe does not meet its expectation, and still drops the scratch database', async () => {
    const r = await runCli(home, ['--json', 'drill', 'run', '--database', 'mes', '--probe', 'SELECT max(batch_id) FROM mes.batches', '--expect', '>= 5001']);
    expect(r.code).toBe(3);
    expect(r.json.status).toBe('failed');
    expect(r.json.error.code).toBe('DRILL_CHECK_FAILED');
    expect(r.json.error.message).toContain('returned 5000, expected >= 5001');
    expect(r.json.checks.find((c: { kind: string }) => c.kind === 'row-count').status).toBe('passed');
    expect(r.json.scratchDropped).toBe(true);
    expect(await scratchDatabases()).toEqual([]);
    catalog((db) => {
      const row = db.prepare('SELECT status, error_message, scratch_dropped FROM drills WHERE id = ?').get(r.json.id) as Record<string, unknown>;
      expect(row.status).toBe('failed');
      expect(row.error_message).toContain('expected >= 5001');
      expect(row.scratch_dropped).toBe(1);
      expect((db.prepare('SELECT result FROM verifications WHERE id = ?').get(r.json.verificationId) as { result: string }).result).toBe('failed');
    });
  });

  it('runs probe queries read-only, one statement only', async () => {
    const r = await runCli(home, ['--json', 'drill', 'run', '--database', 'mes',
      '--probe', 'DELETE FROM mes.batches RETURNING batch_id', '--expect', 'non-null',
      '--probe', 'SELECT 1; DROP TABLE mes.lots', '--expect', '= 1']);
    expect(r.code).toBe(3);
    const probes = r.json.checks.filter((c: { kind: string }) => c.kind === 'probe');
    expect(probes.map((c: { status: string }) => c.status)).toEqual(['failed', 'failed']);
    expect(probes[0].detail).toMatch(/read-only transaction/);
    expect(probes[1].detail).toMatch(/multiple commands/);
    expect(await scratchDatabases()).toEqual([]);
    // The source database was never touched.
    expect((await pg.query<{ n: string }>('mes', 'SELECT count(*)::text AS n FROM mes.batches'))[0]!.n).toBe('5000');
  });

  it('lists drills and shows, per database, the measured restore time against the RTO objective', async () => {
    const obj = await runCli(home, ['objective', 'set', 'plant-pg', 'mes', '--rto', '1h']);
    expect(obj.code, obj.stderr).toBe(0);
    const list = await runCli(home, ['--json', 'drill', 'list']);
    expect(list.json.map((d: { status: string }) => d.status)).toEqual(['failed', 'failed', 'succeeded']);
    const status = await runCli(home, ['--json', 'drill', 'status']);
    expect(status.json).toHaveLength(1);
    const s = status.json[0];
    expect(s).toMatchObject({ server: 'plant-pg', database: 'mes', lastDrillStatus: 'failed', rtoObjectiveSeconds: 3600, rtoMet: true, overdue: false, periodDays: 30 });
    expect(s.lastSucceededAt).toBe(list.json[2].startedAt);
    expect(s.measuredRtoSeconds).toBe(Math.ceil(list.json[2].restoreMs / 1000));
  });

  it('keeps stored probes per database; "previous" catches a backup whose newest batch went backwards', async () => {
    const add = await runCli(home, ['drill', 'probe', 'add', 'plant-pg', 'mes', 'newest-batch', '--sql', 'SELECT max(batch_id) FROM mes.batches', '--expect', '>= previous']);
    expect(add.code, add.stderr).toBe(0);
    const first = await runCli(home, ['--json', 'drill', 'run', '--database', 'mes']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.checks.find((c: { name: string }) => c.name === 'newest-batch')).toMatchObject({ status: 'skipped', actual: '5000' });

    await pg.query('mes', "INSERT INTO mes.batches SELECT g, 'P-1', now() FROM generate_series(5001, 5100) g");
    expect((await runCli(home, ['job', 'run', 'nightly'])).code).toBe(0);
    const grown = await runCli(home, ['--json', 'drill', 'run', '--database', 'mes']);
    expect(grown.code, grown.stderr).toBe(0);
    expect(grown.json.checks.find((c: { name: string }) => c.name === 'newest-batch')).toMatchObject({ status: 'passed', actual: '5100', expected: '>= 5000' });

    // Someone deleted the newest batches; the backup faithfully has fewer rows, so row counts agree, but the probe does not.
    await pg.query('mes', 'DELETE FROM mes.batches WHERE batch_id > 4500');
    expect((await runCli(home, ['job', 'run', 'nightly'])).code).toBe(0);
    const shrunk = await runCli(home, ['--json', 'drill', 'run', '--database', 'mes']);
    expect(shrunk.code).toBe(3);
    expect(shrunk.json.checks.filter((c: { kind: string }) => c.kind === 'row-count').every((c: { status: string }) => c.status === 'passed')).toBe(true);
    expect(shrunk.json.checks.find((c: { name: string }) => c.name === 'newest-batch')).toMatchObject({ status: 'failed', actual: '4500', detail: 'returned 4500, expected >= 5100' });
    expect(await scratchDatabases()).toEqual([]);
  });
});
