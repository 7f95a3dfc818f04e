import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, addPgSource } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { createRichDatabase, tableFingerprints } from '../support/pg-fixtures.ts';

// Acceptance (issue 2): an encrypted set is restored without Lifeboat, with Debian's `age`, `zstd` and
// `pg_restore`, exactly as the README's disaster section says.
let pg: PgServer;
let home: string;
let folder: string;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  folder = tempDir();
  await createRichDatabase(pg, 'mes');
  await addPgSource(home, pg);
  await runCli(home, ['target', 'add', 'usb', '--kind', 'local', '--path', folder]);
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

function byHand(setDir: string, dumpName: string, decrypt: string[], newDb: string): void {
  const work = tempDir();
  const zst = path.join(work, 'data.dump.zst');
  const dump = path.join(work, 'data.dump');
  const r = spawnSync(decrypt[0]!, [...decrypt.slice(1), '-o', zst, path.join(setDir, dumpName)], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  execFileSync('zstd', ['-d', '-q', zst, '-o', dump]);
  execFileSync(path.join(pg.binDir, 'createdb'), ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, newDb], { env: { ...process.env, PGPASSWORD: pg.password } });
  execFileSync(path.join(pg.binDir, 'pg_restore'), ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', newDb, '--exit-on-error', dump], { env: { ...process.env, PGPASSWORD: pg.password } });
}

describe('disaster: restore by hand with age, zstd and pg_restore', () => {
  it('decrypts a set encrypted to an age recipient with `age -d -i` and restores it with pg_restore', async () => {
    const keyFile = path.join(tempDir(), 'key.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
    const recipient = /public key: (age1\w+)/.exec(fs.readFileSync(keyFile, 'utf8'))![1]!;
    expect((await runCli(home, ['job', 'add', 'to-key', '--source', 'pg', '--database', 'mes', '--target', 'usb', '--encrypt', 'recipients', '--recipient', recipient])).code).toBe(0);
    const run = await runCli(home, ['--json', 'job', 'run', 'to-key']);
    expect(run.code, run.stderr).toBe(0);
    // The run checked its dump with pg_restore (L2) with the key it sealed the file with; Lifeboat holds no
    // identity that could open it later.
    expect(run.json[0].warnings.join('\n')).not.toMatch(/L2/);
    const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT result FROM verifications WHERE set_id = ? AND level = 2').all(run.json[0].setId)).toEqual([{ result: 'passed' }]);
    } finally {
      db.close();
    }
    byHand(path.join(folder, run.json[0].setPath), 'data.dump.zst.age', ['age', '-d', '-i', keyFile], 'mes_by_key');
    expect(await tableFingerprints(pg, 'mes_by_key')).toEqual(await tableFingerprints(pg, 'mes'));
  });

  it('decrypts a passphrase-encrypted set with `age -d` answering its passphrase prompt', async () => {
    const passphrase = 'correct horse battery staple';
    expect((await runCli(home, ['job', 'add', 'to-pass', '--source', 'pg', '--database', 'mes', '--target', 'usb', '--encrypt', 'passphrase', '--passphrase-env', 'P', '--option', 'scryptLogN=14'], { env: { P: passphrase } })).code).toBe(0);
    const run = await runCli(home, ['--json', 'job', 'run', 'to-pass']);
    expect(run.code, run.stderr).toBe(0);
    // age reads a passphrase only from a terminal: a pseudo-terminal types it, as a person would.
    const typer = path.join(import.meta.dirname, '../support/type-into-tty.py');
    byHand(path.join(folder, run.json[0].setPath), 'data.dump.zst.age', ['python3', typer, passphrase, 'age', '-d'], 'mes_by_pass');
    expect(await tableFingerprints(pg, 'mes_by_pass')).toEqual(await tableFingerprints(pg, 'mes'));
  });
});
