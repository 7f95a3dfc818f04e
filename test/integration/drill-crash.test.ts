import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, spawnCli, addPgSource } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// Acceptance 3 (issue 7): the process is killed (SIGKILL) in the middle of a drill; at the next start the
// scratch database is dropped and the drill is recorded as failed with its cause.
let pg: PgServer;
let home: string;
let flag: string;
let reached: string;

/** Real client tools, except that pg_restore into a database, while `flag` exists, finishes and then hangs. */
function stallingTools(dir: string, real: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const tool of ['pg_dump', 'pg_dumpall']) fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\nexec "${real}/${tool}" "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'pg_restore'), `#!/bin/sh
case "$*" in *--dbname=*)
  if [ -f '${flag}' ]; then "${real}/pg_restore" "$@"; rc=$?; : > '${reached}'; while [ -f '${flag}' ]; do sleep 0.2; done; exit $rc; fi;;
esac
exec "${real}/pg_restore" "$@"
`, { mode: 0o755 });
  return dir;
}

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  const tools = tempDir();
  flag = path.join(tools, 'stall');
  reached = path.join(tools, 'reached');
  stallingTools(path.join(tools, 'bin'), pg.binDir);
  await pg.createDatabase('historian');
  await pg.query('historian', 'CREATE TABLE tags AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 20000) g; ALTER TABLE tags ADD PRIMARY KEY (id)');
  await addPgSource(home, pg, ['--tools-dir', path.join(tools, 'bin')]);
  await runCli(home, ['target', 'add', 'disk', '--kind', 'local', '--path', tempDir()]);
  await runCli(home, ['job', 'add', 'hourly', '--source', 'pg', '--database', 'historian', '--target', 'disk']);
  const b = await runCli(home, ['--json', 'job', 'run', 'hourly']);
  expect(b.code, b.stderr).toBe(0);
});
afterAll(async () => { if (flag) fs.rmSync(flag, { force: true }); await pg?.stop(); cleanupTemp(); });

async function until(cond: () => Promise<boolean> | boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function scratchDatabases(): Promise<string[]> {
  return (await pg.query<{ datname: string }>('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat_drill_%'")).map((r) => r.datname);
}

describe('a drill killed with SIGKILL', () => {
  it('leaves its scratch name behind, and the next start drops the scratch database and records the drill as failed with its cause', async () => {
    fs.writeFileSync(flag, '');
    const child = spawnCli(home, ['drill', 'run', '--database', 'historian']);
    await until(() => fs.existsSync(reached));
    const during = await scratchDatabases();
    expect(during).toHaveLength(1);
    // While the drill runs, another CLI start leaves it alone.
    const live = await runCli(home, ['--json', 'drill', 'list']);
    expect(live.json[0]).toMatchObject({ status: 'running', scratchName: during[0], scratchDropped: false });
    expect(await scratchDatabases()).toEqual(during);

    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));

    const after = await runCli(home, ['--json', 'drill', 'list']);
    expect(after.code, after.stderr).toBe(0);
    const d = after.json[0];
    expect(d.status).toBe('failed');
    expect(d.scratchName).toBe(during[0]);
    expect(d.scratchDropped).toBe(true);
    expect(d.errorMessage).toMatch(/^unable to complete drill run 'run_[0-9a-z]+': interrupted \(process \d+ ended while the run was in progress\)$/);
    expect(await scratchDatabases()).toEqual([]);

    const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT status FROM restores WHERE destination = ?').all(d.scratchName)).toEqual([{ status: 'failed' }]);
      expect(db.prepare("SELECT result, triggered_by FROM verifications WHERE level = 3").all()).toEqual([{ result: 'failed', triggered_by: 'drill:cleanup' }]);
    } finally {
      db.close();
    }
    const runs = await runCli(home, ['--json', 'runs', 'list']);
    expect(runs.json.find((r: { id: string }) => r.id === d.runId)).toMatchObject({ kind: 'drill', status: 'failed', errorCode: 'INTERRUPTED' });
    const status = await runCli(home, ['--json', 'drill', 'status']);
    expect(status.json[0]).toMatchObject({ database: 'historian', lastDrillStatus: 'failed', lastSucceededAt: null });

    // The next drill runs normally.
    fs.rmSync(flag, { force: true });
    const next = await runCli(home, ['--json', 'drill', 'run', '--database', 'historian']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.json.status).toBe('succeeded');
    expect(await scratchDatabases()).toEqual([]);
  });
});
