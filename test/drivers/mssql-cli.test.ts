import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTdsServer, type TdsTestServer } from '../support/tds-server/server.ts';
import { runCli } from '../support/cli.ts';
import { cleanupTemp, tempDir } from '../support/temp.ts';

// Acceptance 2–5 through the real CLI and runner: `job run` of FULL, DIFF and LOG against the TDS test
// server (Express), a point-in-time restore under a new name, and failed runs that leave no set behind.
const SERVER_STAGING = 'S:\\LifeboatStaging';
const PW = { MSSQL_PW: 'Str0ng!Passw0rd' };
let srv: TdsTestServer;
let home: string;
let folder: string;
let staging: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  home = tempDir();
  folder = tempDir();
  staging = tempDir();
  srv = await startTdsServer({
    edition: 'express', utcOffsetMinutes: -300, pathMap: { [SERVER_STAGING]: staging },
    databases: [{ name: 'MES', recoveryModel: 'FULL', tables: { 'dbo.Orders': 500, 'dbo.Lots': 20 } }, { name: 'Hist', recoveryModel: 'SIMPLE', tables: { 'dbo.Tags': 3 } }],
  });
});
afterAll(async () => { await srv?.stop(); cleanupTemp(); });

function catalogChains(): Record<string, Record<string, unknown>> {
  const db = new Database(path.join(home, 'catalog.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, chain FROM sets').all() as { id: string; chain: string }[];
    return Object.fromEntries(rows.map((r) => [r.id, JSON.parse(r.chain) as Record<string, unknown>]));
  } finally {
    db.close();
  }
}

describe('SQL Server through the CLI (job run, restore) against the TDS test server', { timeout: 300_000 }, () => {
  const sets: { id: string; path: string; type: string }[] = [];

  it('configures an mssql source with a staging folder seen two ways, a folder target and a job', async () => {
    const add = await runCli(home, ['source', 'add', 'plant-sql', '--kind', 'mssql', '--host', srv.host, '--port', String(srv.port), '--user', 'sa', '--password-env', 'MSSQL_PW',
      '--option', `stagingServerPath=${SERVER_STAGING}`, '--option', `stagingLocalPath=${staging}`, '--option', 'encrypt=off'], { env: PW });
    expect(add.code, add.stderr).toBe(0);
    const test = await runCli(home, ['--json', 'source', 'test', 'plant-sql']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.json).toMatchObject({ versionMajor: 16, edition: 'Express Edition (64-bit)' });
    expect((await runCli(home, ['target', 'add', 'nas', '--kind', 'local', '--path', folder])).code).toBe(0);
    const job = await runCli(home, ['job', 'add', 'mes', '--source', 'plant-sql', '--database', 'MES', '--target', 'nas', '--type', 'full', '--probe-tables', '2']);
    expect(job.code, job.stderr).toBe(0);
  });

  it('runs FULL, DIFF and LOG; LSNs go from server to catalog to MANIFEST.json exactly; Express gets Lifeboat compression', async () => {
    for (const type of ['full', 'diff', 'log', 'log']) {
      srv.model.write('MES', 'dbo.Orders', 10);
      await sleep(20);
      const run = await runCli(home, ['--json', 'job', 'run', 'mes', '--type', type]);
      expect(run.code, run.stderr + run.stdout).toBe(0);
      const [r] = run.json;
      expect(r.status).toBe('succeeded');
      expect(r.type).toBe(type);
      sets.push({ id: r.setId, path: r.setPath, type });
    }
    const chains = catalogChains();
    for (const [i, s] of sets.entries()) {
      const m = JSON.parse(fs.readFileSync(path.join(folder, s.path, 'MANIFEST.json'), 'utf8'));
      const row = srv.model.msdb[i]!;
      expect(m.type).toBe(s.type);
      for (const [key, exact] of [['firstLsn', row.firstLsn], ['lastLsn', row.lastLsn], ['checkpointLsn', row.checkpointLsn], ['databaseBackupLsn', row.databaseBackupLsn]] as const) {
        expect(m.chain[key]).toBe(exact.toString());
        expect(chains[s.id]![key]).toBe(exact.toString());
      }
      expect(String(m.chain.lastLsn)).toMatch(/^\d{17,}$/);
      // Express: the server did not compress, so the runner did (zstd), and the staged file is gone.
      expect(m.artifacts).toHaveLength(1);
      expect(m.artifacts[0].compression).toBe('zstd');
      expect(m.artifacts[0].name).toMatch(s.type === 'log' ? /^MES_LOG_.*\.trn\.zst$/ : /^MES_(FULL|DIFF)_.*\.bak\.zst$/);
      expect(m.artifacts[0].bytes).toBeLessThan(m.artifacts[0].rawBytes);
    }
    expect(JSON.parse(fs.readFileSync(path.join(folder, sets[1]!.path, 'MANIFEST.json'), 'utf8')).parentSetId).toBe(sets[0]!.id);
    expect(JSON.parse(fs.readFileSync(path.join(folder, sets[3]!.path, 'MANIFEST.json'), 'utf8')).parentSetId).toBe(sets[2]!.id);
    const backups = srv.userStatements().filter((x) => x.sql.startsWith('BACKUP'));
    expect(backups).toHaveLength(4);
    for (const b of backups) expect(b.sql).not.toMatch(/COMPRESSION/);
    // Every run also verified its file on the server (L2) before the manifest was written.
    expect(srv.userStatements().filter((x) => x.sql.startsWith('RESTORE VERIFYONLY'))).toHaveLength(4);
    expect(fs.readdirSync(staging)).toEqual([]);
  });

  it('restores to a point in time under a new name: the plan follows the LSNs, the T-SQL has MOVE and STOPAT', async () => {
    // A point inside the second log: rows written before it are in, rows after it are not.
    srv.model.write('MES', 'dbo.Orders', 1);
    await sleep(30);
    const at = new Date();
    await sleep(30);
    srv.model.write('MES', 'dbo.Orders', 1000);
    const run = await runCli(home, ['--json', 'job', 'run', 'mes', '--type', 'log']);
    expect(run.code, run.stderr).toBe(0);
    sets.push({ id: run.json[0].setId, path: run.json[0].setPath, type: 'log' });
    const before = srv.statements.length;
    const r = await runCli(home, ['--json', 'restore', '--database', 'MES', '--at', at.toISOString(), '--as', 'MES_pit']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.setIds).toEqual([sets[0]!.id, sets[1]!.id, sets[2]!.id, sets[3]!.id, sets[4]!.id]);
    const sent = srv.statements.slice(before).filter((x) => x.sql.startsWith('RESTORE') && !x.sql.startsWith('RESTORE VERIFYONLY'));
    expect(sent.map((x) => x.sql)).toEqual([
      'RESTORE FILELISTONLY FROM DISK = @path',
      'RESTORE DATABASE @db FROM DISK = @path WITH MOVE @m0 TO @p0, MOVE @m1 TO @p1, NORECOVERY, CHECKSUM, STATS = 10',
      'RESTORE DATABASE @db FROM DISK = @path WITH NORECOVERY, CHECKSUM, STATS = 10',
      'RESTORE LOG @db FROM DISK = @path WITH NORECOVERY, CHECKSUM, STATS = 10',
      'RESTORE LOG @db FROM DISK = @path WITH NORECOVERY, CHECKSUM, STATS = 10',
      'RESTORE LOG @db FROM DISK = @path WITH STOPAT = @stopat, NORECOVERY, CHECKSUM, STATS = 10',
      'RESTORE DATABASE @db WITH RECOVERY',
    ]);
    // Each RESTORE reads the file of the set the LSN-ordered plan chose, in that order.
    const fromSets = sent.filter((x) => /FROM DISK/.test(x.sql)).map((x) => /restore_(set_[0-9a-z]+)_/.exec(String(x.params.path))?.[1]);
    expect(fromSets).toEqual([sets[0]!.id, sets[0]!.id, sets[1]!.id, sets[2]!.id, sets[3]!.id, sets[4]!.id]);
    const chains = catalogChains();
    for (let i = 3; i < 5; i++) expect(BigInt(String(chains[sets[i]!.id]!.firstLsn))).toBe(BigInt(String(chains[sets[i - 1]!.id]!.lastLsn)));
    expect(sent[1]!.params).toMatchObject({ db: 'MES_pit', m0: 'MES', p0: `${srv.model.dataPath}MES_pit.mdf`, m1: 'MES_log', p1: `${srv.model.logPath}MES_pit_log.ldf` });
    // STOPAT is server-local time: this server runs at UTC-5.
    expect(sent[5]!.params.stopat).toBe(new Date(at.getTime() - 300 * 60_000).toISOString().replace('Z', ''));
    expect(srv.model.db('MES_pit')!.tables.get('dbo.Orders')).toBe(541);
    expect(srv.model.db('MES')!.tables.get('dbo.Orders')).toBe(1541);
    expect(fs.readdirSync(staging)).toEqual([]);
  });

  it('fails runs with clear messages and records no set: SIMPLE log (4208), wrong password (18456), staging denied (OS error 5)', async () => {
    const setsBefore = Object.keys(catalogChains()).length;
    expect((await runCli(home, ['job', 'add', 'hist', '--source', 'plant-sql', '--database', 'Hist', '--target', 'nas', '--type', 'log'])).code).toBe(0);
    const simple = await runCli(home, ['--json', 'job', 'run', 'hist']);
    expect(simple.code).toBe(1);
    expect(simple.json[0].status).toBe('failed');
    expect(simple.json[0].error.code).toBe('ENGINE_UNSUPPORTED');
    expect(simple.json[0].error.message).toContain('SIMPLE recovery model');

    srv.model.denyFolder(SERVER_STAGING);
    const denied = await runCli(home, ['--json', 'job', 'run', 'mes', '--type', 'full']);
    expect(denied.code).toBe(1);
    expect(denied.json[0].error.code).toBe('STAGING_DENIED');
    expect(denied.json[0].error.message).toContain('Operating system error 5(Access is denied.)');
    expect(denied.json[0].error.hint).toContain('NT Service\\MSSQL$SQLEXPRESS');
    srv.model.faults.deniedFolders.length = 0;

    srv.model.logins.set('sa', 'rotated-password');
    const auth = await runCli(home, ['--json', 'job', 'run', 'mes', '--type', 'full']);
    expect(auth.code).toBe(1);
    expect(auth.json[0].error.code).toBe('SOURCE_AUTH_FAILED');
    expect(auth.json[0].error.message).toContain("Login failed for user 'sa'.");
    srv.model.logins.set('sa', PW.MSSQL_PW);

    // No catalog entry for any failed run, and every recorded set's files are on the target.
    const chains = catalogChains();
    expect(Object.keys(chains)).toHaveLength(setsBefore);
    for (const s of sets) expect(fs.existsSync(path.join(folder, s.path, 'MANIFEST.json'))).toBe(true);
    const setDirs = fs.readdirSync(path.join(folder, 'lifeboat', 'plant-sql'), { recursive: true }).map(String).filter((p) => p.endsWith('MANIFEST.json'));
    expect(setDirs).toHaveLength(sets.length);
    expect(fs.readdirSync(staging)).toEqual([]);
  });

  it('restores over the original with --overwrite --confirm: safety backup, restore aside, rename swap', async () => {
    const before = srv.statements.length;
    const r = await runCli(home, ['--json', 'restore', sets[0]!.id, '--overwrite', '--confirm']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.mode).toBe('overwrite');
    expect(r.json.safetySetId).toMatch(/^set_/);
    expect(r.json.probes.every((p: { ok: boolean }) => p.ok)).toBe(true);
    const sent = srv.statements.slice(before).map((x) => x.sql).filter((t) => /^(BACKUP|RESTORE DATABASE|ALTER|DROP)/.test(t));
    expect(sent[0]).toMatch(/^BACKUP DATABASE @db/);
    expect(sent.filter((t) => t.includes('MODIFY NAME'))).toHaveLength(2);
    expect(sent.at(-1)).toMatch(/^DROP DATABASE \[MES__lb_replaced_/);
    expect(srv.model.db('MES')!.tables.get('dbo.Orders')).toBe(510);
    expect([...srv.model.databases.keys()].filter((n) => n.startsWith('mes'))).toEqual(['mes_pit', 'mes']);
    expect(fs.readdirSync(staging)).toEqual([]);
  });

  it('drills: restore to a scratch database, row counts, DBCC CHECKDB, a probe query; corruption fails the drill', async () => {
    const ok = await runCli(home, ['--json', 'drill', 'run', '--database', 'MES', '--probe', 'SELECT COUNT(*) FROM dbo.Lots', '--expect', '= 20']);
    expect(ok.code, ok.stderr + ok.stdout).toBe(0);
    expect(ok.json.status).toBe('succeeded');
    const byKind = (kind: string) => ok.json.checks.filter((c: { kind: string }) => c.kind === kind);
    expect(byKind('integrity')).toEqual([expect.objectContaining({ name: 'DBCC CHECKDB', status: 'passed' })]);
    expect(byKind('probe')).toEqual([expect.objectContaining({ status: 'passed' })]);
    expect(byKind('row-count').every((c: { status: string }) => c.status === 'passed')).toBe(true);
    expect(ok.json.scratchDropped).toBe(true);
    expect([...srv.model.databases.keys()].some((n) => n.startsWith('lifeboat_drill'))).toBe(false);

    srv.model.corrupt('MES');
    const run = await runCli(home, ['--json', 'job', 'run', 'mes', '--type', 'full']);
    expect(run.code, run.stderr).toBe(0);
    const bad = await runCli(home, ['--json', 'drill', 'run', run.json[0].setId]);
    expect(bad.code).not.toBe(0);
    expect(bad.json.status).toBe('failed');
    const integrity = bad.json.checks.find((c: { kind: string }) => c.kind === 'integrity');
    expect(integrity).toMatchObject({ status: 'failed' });
    expect(integrity.detail).toMatch(/^CHECKDB found 0 allocation errors and 2 consistency errors in database 'lifeboat_drill/);
    expect(bad.json.scratchDropped).toBe(true);
  });
});
