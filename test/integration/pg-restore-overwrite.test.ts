import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, addPgSource } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// Restoring over the original: explicit confirmation, a safety backup first, the original untouched until
// the restored copy has passed its checks.
let pg: PgServer;
let home: string;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  await pg.createDatabase('scada');
  await pg.query('scada', "CREATE TABLE setpoints AS SELECT g AS id, 'sp' || g AS name FROM generate_series(1, 1000) g");
  await addPgSource(home, pg);
  await runCli(home, ['target', 'add', 'disk', '--kind', 'local', '--path', tempDir()]);
  await runCli(home, ['job', 'add', 'j', '--source', 'pg', '--database', 'scada', '--target', 'disk']);
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

describe('restore over the original database', () => {
  it('needs --confirm and changes nothing without it', async () => {
    const b = await runCli(home, ['--json', 'job', 'run', 'j']);
    const r = await runCli(home, ['restore', b.json[0].setId, '--overwrite']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unable to restore over database 'scada': restoring over an existing database needs explicit confirmation");
    const [n] = await pg.query<{ n: string }>('scada', 'SELECT count(*)::text AS n FROM setpoints');
    expect(n!.n).toBe('1000');
  });

  it('takes a safety backup of the current state, then replaces the database with the set', async () => {
    const b = await runCli(home, ['--json', 'job', 'run', 'j']);
    // The operator's mistake that the restore undoes:
    await pg.query('scada', 'DELETE FROM setpoints WHERE id > 10');
    const r = await runCli(home, ['--json', 'restore', b.json[0].setId, '--overwrite', '--confirm']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.mode).toBe('overwrite');
    expect(r.json.destination).toBe('scada');
    const [n] = await pg.query<{ n: string }>('scada', 'SELECT count(*)::text AS n FROM setpoints');
    expect(n!.n).toBe('1000');
    // The safety set holds the state before the restore (10 rows) and is listed, tagged as such.
    const sets = await runCli(home, ['--json', 'sets', 'list']);
    const safety = sets.json.find((s: { id: string }) => s.id === r.json.safetySetId);
    expect(safety.tags).toEqual(['safety']);
    const back = await runCli(home, ['--json', 'restore', r.json.safetySetId, '--as', 'scada_before_restore']);
    expect(back.code, back.stderr).toBe(0);
    const [m] = await pg.query<{ n: string }>('scada_before_restore', 'SELECT count(*)::text AS n FROM setpoints');
    expect(m!.n).toBe('10');
    // No staging or replaced copy is left on the server.
    const leftovers = await pg.query<{ datname: string }>('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'scada\\_\\_lb%'");
    expect(leftovers).toEqual([]);
  });
});
