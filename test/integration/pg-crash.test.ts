import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, spawnCli, addPgSource } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { filesUnder, wrapPgTools } from '../support/pg-tool-wrappers.ts';

// Acceptance (issue 2): kill -9 of the CLI in the middle of a backup.
let pg: PgServer;
let home: string;
let folder: string;
let flag: string;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  folder = tempDir();
  const tools = tempDir();
  flag = path.join(tools, 'stall');
  wrapPgTools(path.join(tools, 'bin'), pg.binDir, { argvLog: path.join(tools, 'argv.log'), stallFlag: flag });
  await pg.createDatabase('historian');
  await pg.query('historian', 'CREATE TABLE v AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 20000) g');
  await addPgSource(home, pg, ['--tools-dir', path.join(tools, 'bin')]);
  await runCli(home, ['target', 'add', 'disk', '--kind', 'local', '--path', folder]);
  await runCli(home, ['job', 'add', 'hourly', '--source', 'pg', '--database', 'historian', '--target', 'disk']);
});
afterAll(async () => { if (flag) fs.rmSync(flag, { force: true }); await pg?.stop(); cleanupTemp(); });

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a backup killed with SIGKILL', () => {
  it('never lists the unfinished set, marks the run failed with its cause, cleans up, and the next backup succeeds', async () => {
    fs.writeFileSync(flag, '');
    const child = spawnCli(home, ['job', 'run', 'hourly']);
    // The dump's own temporary file: REPO.json is written through one too, before the dump starts.
    await until(() => filesUnder(folder).some((f) => f.includes('data.dump') && f.endsWith('.partial')));

    // While it runs, the unfinished set is not listed and the live run is left alone.
    const during = await runCli(home, ['--json', 'sets', 'list']);
    expect(during.json).toEqual([]);
    const runsDuring = await runCli(home, ['--json', 'runs', 'list']);
    expect(runsDuring.json[0].status).toBe('running');
    // The run's work folder holds the pgpass file pg_dump reads its password from.
    const runWork = path.join(home, 'work', runsDuring.json[0].id);
    expect(fs.readdirSync(runWork).some((n) => n.startsWith('pgpass-'))).toBe(true);

    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    fs.rmSync(flag, { force: true });

    const after = await runCli(home, ['--json', 'sets', 'list']);
    expect(after.json).toEqual([]);
    const runs = await runCli(home, ['--json', 'runs', 'list']);
    const killed = runs.json.find((r: { kind: string }) => r.kind === 'backup');
    expect(killed.status).toBe('failed');
    expect(killed.errorCode).toBe('INTERRUPTED');
    expect(killed.errorMessage).toMatch(/interrupted \(process \d+ ended while the run was in progress\)/);
    // The unfinished set's files were removed at the next start; only the repository header remains.
    expect(filesUnder(folder)).toEqual(['lifeboat/REPO.json']);
    // So was the killed run's work folder, and the password file in it.
    expect(fs.existsSync(runWork)).toBe(false);

    const next = await runCli(home, ['--json', 'job', 'run', 'hourly']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.json[0].status).toBe('succeeded');
    const sets = await runCli(home, ['--json', 'sets', 'list']);
    expect(sets.json.map((s: { id: string }) => s.id)).toEqual([next.json[0].setId]);
  });
});
