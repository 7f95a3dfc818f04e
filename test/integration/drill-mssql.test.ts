import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTdsServer, type TdsTestServer } from '../support/tds-server/server.ts';
import { runCli } from '../support/cli.ts';
import { cleanupTemp, tempDir } from '../support/temp.ts';

// Acceptance 2 (issue 7): a SQL Server drill against the TDS test server sends RESTORE … WITH MOVE into a
// scratch name, DBCC CHECKDB and DROP DATABASE, and records a failure when CHECKDB reports errors.
const SERVER_STAGING = 'S:\\LifeboatStaging';
const PW = { MSSQL_PW: 'Str0ng!Passw0rd' };
let srv: TdsTestServer;
let home: string;
let staging: string;

beforeAll(async () => {
  home = tempDir();
  staging = tempDir();
  srv = await startTdsServer({
    edition: 'standard', pathMap: { [SERVER_STAGING]: staging },
    databases: [{ name: 'MES', recoveryModel: 'FULL', tables: { 'dbo.Orders': 700, 'dbo.Lots': 25 } }],
  });
  const add = await runCli(home, ['source', 'add', 'plant-sql', '--kind', 'mssql', '--host', srv.host, '--port', String(srv.port), '--user', 'sa', '--password-env', 'MSSQL_PW',
    '--option', `stagingServerPath=${SERVER_STAGING}`, '--option', `stagingLocalPath=${staging}`, '--option', 'encrypt=off'], { env: PW });
  expect(add.code, add.stderr).toBe(0);
  expect((await runCli(home, ['target', 'add', 'nas', '--kind', 'local', '--path', tempDir()])).code).toBe(0);
  const job = await runCli(home, ['job', 'add', 'mes', '--source', 'plant-sql', '--database', 'MES', '--target', 'nas', '--type', 'full', '--probe-tables', '2']);
  expect(job.code, job.stderr).toBe(0);
});
afterAll(async () => { await srv?.stop(); cleanupTemp(); });

function scratchOnServer(): string[] {
  return [...srv.model.databases.values()].map((d) => d.name).filter((n) => n.startsWith('lifeboat_drill_'));
}

describe('a SQL Server restore drill against the TDS test server', { timeout: 300_000 }, () => {
  it('restores WITH MOVE into a scratch name, runs DBCC CHECKDB and the row counts, then drops the scratch database', async () => {
    const run = await runCli(home, ['--json', 'job', 'run', 'mes']);
    expect(run.code, run.stderr).toBe(0);
    const before = srv.statements.length;
    const r = await runCli(home, ['--json', 'drill', 'run', '--database', 'MES']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const d = r.json;
    expect(d).toMatchObject({ status: 'succeeded', scratchDropped: true, drillServer: 'plant-sql', setId: run.json[0].setId });
    expect(d.scratchName).toMatch(/^lifeboat_drill_mes_/);
    expect(d.restoreMs).toBeGreaterThan(0);

    const sent = srv.statements.slice(before).filter((x) => /^(RESTORE|DBCC|DROP|ALTER DATABASE)/.test(x.sql) && !x.sql.startsWith('RESTORE VERIFYONLY'));
    const restore = sent.find((x) => x.sql.startsWith('RESTORE DATABASE @db FROM DISK'))!;
    expect(restore.sql).toBe('RESTORE DATABASE @db FROM DISK = @path WITH MOVE @m0 TO @p0, MOVE @m1 TO @p1, NORECOVERY, CHECKSUM, STATS = 10');
    expect(restore.params).toMatchObject({ db: d.scratchName, m0: 'MES', p0: `${srv.model.dataPath}${d.scratchName}.mdf`, m1: 'MES_log', p1: `${srv.model.logPath}${d.scratchName}_log.ldf` });
    const order = sent.map((x) => x.sql.split(' ').slice(0, 2).join(' '));
    expect(order.indexOf('DBCC CHECKDB')).toBeGreaterThan(order.indexOf('RESTORE DATABASE'));
    expect(order.at(-1)).toBe('DROP DATABASE');
    expect(sent.find((x) => x.sql.startsWith('DBCC CHECKDB'))!.sql).toBe(`DBCC CHECKDB ([${d.scratchName}]) WITH ALL_ERRORMSGS, NO_INFOMSGS`);
    expect(sent.at(-1)!.sql).toBe(`DROP DATABASE [${d.scratchName}]`);
    // The source database was never the target of any of it.
    expect(sent.every((x) => x.params.db !== 'MES' && !x.sql.includes('[MES]'))).toBe(true);

    expect(d.checks.map((c: { kind: string; name: string; status: string }) => [c.kind, c.name, c.status])).toEqual([
      ['restore', 'restore', 'passed'],
      ['row-count', 'rows dbo.Orders', 'passed'],
      ['row-count', 'rows dbo.Lots', 'passed'],
      ['integrity', 'DBCC CHECKDB', 'passed'],
    ]);
    expect(scratchOnServer()).toEqual([]);
    expect(fs.readdirSync(staging)).toEqual([]);
  });

  it('records a failed drill when DBCC CHECKDB reports consistency errors, and still drops the scratch database', async () => {
    srv.model.corrupt('MES');
    const run = await runCli(home, ['--json', 'job', 'run', 'mes']);
    expect(run.code, run.stderr).toBe(0);
    const before = srv.statements.length;
    const r = await runCli(home, ['--json', 'drill', 'run', run.json[0].setId]);
    expect(r.code).toBe(3);
    expect(r.json).toMatchObject({ status: 'failed', scratchDropped: true, error: { code: 'DRILL_CHECK_FAILED' } });
    const check = r.json.checks.find((c: { kind: string }) => c.kind === 'integrity');
    expect(check).toMatchObject({ name: 'DBCC CHECKDB', status: 'failed' });
    expect(check.detail).toMatch(/CHECKDB found \d+ allocation errors and [1-9]\d* consistency errors/);
    expect(r.json.error.message).toContain('DBCC CHECKDB: CHECKDB found');
    expect(scratchOnServer()).toEqual([]);
    const sent = srv.statements.slice(before).map((x) => x.sql).filter((q) => /^(DBCC|DROP)/.test(q));
    expect(sent).toEqual([`DBCC CHECKDB ([${r.json.scratchName}]) WITH ALL_ERRORMSGS, NO_INFOMSGS`, `DROP DATABASE [${r.json.scratchName}]`]);

    const list = await runCli(home, ['--json', 'drill', 'list']);
    expect(list.json.map((x: { status: string }) => x.status)).toEqual(['failed', 'succeeded']);
    const status = await runCli(home, ['--json', 'drill', 'status']);
    expect(status.json[0]).toMatchObject({ server: 'plant-sql', database: 'MES', lastDrillStatus: 'failed', checksFailed: 1 });
  });

  it('drills a chain to a point in time: FULL then LOG restored WITH STOPAT into the scratch name, the log set recorded as proven', async () => {
    srv.model.db('MES')!.corrupt = false;
    const full = await runCli(home, ['--json', 'job', 'run', 'mes', '--type', 'full']);
    expect(full.code, full.stderr).toBe(0);
    srv.model.write('MES', 'dbo.Orders', 10);
    await new Promise((r) => setTimeout(r, 50));
    const at = new Date();
    await new Promise((r) => setTimeout(r, 50));
    srv.model.write('MES', 'dbo.Orders', 1000);
    const log = await runCli(home, ['--json', 'job', 'run', 'mes', '--type', 'log']);
    expect(log.code, log.stderr).toBe(0);
    const before = srv.statements.length;
    const r = await runCli(home, ['--json', 'drill', 'run', '--database', 'MES', '--at', at.toISOString()]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json).toMatchObject({ status: 'succeeded', setId: log.json[0].setId, scratchDropped: true });
    const restores = srv.statements.slice(before).filter((x) => /^RESTORE (DATABASE|LOG) @db/.test(x.sql));
    expect(restores.map((x) => x.sql.split(' WITH ')[0])).toEqual(['RESTORE DATABASE @db FROM DISK = @path', 'RESTORE LOG @db FROM DISK = @path', 'RESTORE DATABASE @db']);
    expect(restores[1]!.sql).toContain('STOPAT = @stopat');
    expect(restores.every((x) => x.params.db === r.json.scratchName)).toBe(true);
    // Row counts of the log set describe its end, not the chosen point: recorded, not judged.
    expect(r.json.checks.filter((c: { kind: string }) => c.kind === 'row-count').map((c: { status: string }) => c.status)).toEqual(['skipped', 'skipped']);
    expect(r.json.achievedRpoMs).toBeGreaterThanOrEqual(Date.parse(r.json.startedAt) - at.getTime() - 1);
    expect(scratchOnServer()).toEqual([]);
  });
});
