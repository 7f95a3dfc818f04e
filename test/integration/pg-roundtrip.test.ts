import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { createRichDatabase, largeObjectDigests, tableFingerprints } from '../support/pg-fixtures.ts';

// Acceptance (issue 2): round trip on real PostgreSQL through the CLI, and a rebuilt catalog that lists the
// same sets as the original.
let pg: PgServer;
let home: string;
let folder: string;
const DB = 'werk_Überwachung';
const env = () => ({ PG_PW: pg.password, LB_PASSPHRASE: 'a long passphrase for the round trip' });

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  folder = tempDir();
  await createRichDatabase(pg, DB);
  await pg.query(DB, "SELECT nextval('sales.order_no') FROM generate_series(1, 7)");
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

describe('PostgreSQL backup → verify → restore as a new name', () => {
  let setId: string;

  it('configures a source, a folder target and an encrypted job', async () => {
    expect((await runCli(home, ['source', 'add', 'plant-pg', '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--password-env', 'PG_PW'], { env: env() })).code).toBe(0);
    const test = await runCli(home, ['--json', 'source', 'test', 'plant-pg']);
    expect(test.code).toBe(0);
    expect(test.json.versionMajor).toBeGreaterThanOrEqual(15);
    expect(test.json.databases.map((d: { name: string }) => d.name)).toContain(DB);
    expect((await runCli(home, ['target', 'add', 'nas-folder', '--kind', 'local', '--path', folder])).code).toBe(0);
    const job = await runCli(home, ['job', 'add', 'nightly', '--source', 'plant-pg', '--database', DB, '--target', 'nas-folder', '--encrypt', 'passphrase', '--passphrase-env', 'LB_PASSPHRASE', '--option', 'scryptLogN=14'], { env: env() });
    expect(job.stderr).toBe('');
    expect(job.code).toBe(0);
  });

  it('backs up, stores a complete set with its manifest, and lists it', async () => {
    const run = await runCli(home, ['--json', 'job', 'run', 'nightly']);
    expect(run.code, run.stderr).toBe(0);
    const [r] = run.json;
    expect(r.status).toBe('succeeded');
    setId = r.setId;
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, r.setPath, 'MANIFEST.json'), 'utf8'));
    expect(manifest.database).toBe(DB);
    expect(manifest.encryption.scheme).toBe('age-scrypt');
    // pg_dumpall runs alongside pg_dump and finishes first; the manifest still lists them in the order begun.
    expect(manifest.artifacts.map((a: { name: string }) => a.name)).toEqual(['data.dump.zst.age', 'globals.sql.zst.age']);
    expect(manifest.probes.find((p: { table: string }) => p.table === 'orders').rows).toBe(50000);
    const sets = await runCli(home, ['--json', 'sets', 'list']);
    expect(sets.json.map((s: { id: string }) => s.id)).toEqual([setId]);
    expect(sets.json[0].verified).toBe('passed');
  });

  it('verifies every stored file and the dump', async () => {
    const v = await runCli(home, ['--json', 'verify', setId]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.json.results[0].copies[0].ok).toBe(true);
    expect(v.json.results[0].engine).toMatchObject({ ok: true, skipped: null });
  });

  it('restores under a new name with identical contents, large object, sequence and function', async () => {
    const r = await runCli(home, ['--json', 'restore', setId, '--as', 'werk_restored']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.durationMs).toBeGreaterThan(0);
    expect(r.json.probes.every((p: { ok: boolean }) => p.ok)).toBe(true);
    expect(await tableFingerprints(pg, 'werk_restored')).toEqual(await tableFingerprints(pg, DB));
    expect(await largeObjectDigests(pg, 'werk_restored')).toEqual(await largeObjectDigests(pg, DB));
    const [seq] = await pg.query<{ v: string }>('werk_restored', "SELECT last_value::text AS v FROM sales.order_no");
    const [seqSrc] = await pg.query<{ v: string }>(DB, "SELECT last_value::text AS v FROM sales.order_no");
    expect(seq!.v).toBe(seqSrc!.v);
    const [fn] = await pg.query<{ t: string }>('werk_restored', "SELECT sales.order_total('Kunde 7')::text AS t");
    const [fnSrc] = await pg.query<{ t: string }>(DB, "SELECT sales.order_total('Kunde 7')::text AS t");
    expect(fn!.t).toBe(fnSrc!.t);
  });

  it('refuses to restore over an existing database name without --overwrite', async () => {
    const r = await runCli(home, ['restore', setId, '--as', DB]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`unable to restore into database '${DB}'`);
  });

  it('rebuilds a fresh catalog from the target alone with the same sets, types and hashes', async () => {
    const fresh = tempDir();
    expect((await runCli(fresh, ['target', 'add', 'usb-copy', '--kind', 'local', '--path', folder])).code).toBe(0);
    const rb = await runCli(fresh, ['--json', 'catalog', 'rebuild', '--from-target', 'usb-copy']);
    expect(rb.code, rb.stderr).toBe(0);
    expect(rb.json.added).toEqual([setId]);
    const pick = (rows: any[]) => rows.map((s) => ({ id: s.id, type: s.type, database: s.database, manifestSha256: s.manifestSha256, artifacts: s.artifacts }));
    const before = await runCli(home, ['--json', 'sets', 'list']);
    const after = await runCli(fresh, ['--json', 'sets', 'list']);
    expect(pick(after.json)).toEqual(pick(before.json));
  });
});
