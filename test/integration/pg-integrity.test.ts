import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, addPgSource } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// Acceptance (issue 2): one flipped byte in a stored artifact is caught by verify (exit 3, naming the
// file) and by the restore's integrity gate, which refuses unless overridden with a recorded reason.
let pg: PgServer;
let home: string;
let folder: string;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  folder = tempDir();
  await pg.createDatabase('lims');
  await pg.query('lims', "CREATE TABLE samples AS SELECT g AS id, 'sample ' || g AS label FROM generate_series(1, 5000) g");
  await addPgSource(home, pg);
  await runCli(home, ['target', 'add', 'disk', '--kind', 'local', '--path', folder]);
  await runCli(home, ['job', 'add', 'daily', '--source', 'pg', '--database', 'lims', '--target', 'disk']);
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

async function backupAndFlip(artifact: string): Promise<{ setId: string; file: string }> {
  const run = await runCli(home, ['--json', 'job', 'run', 'daily']);
  expect(run.code, run.stderr).toBe(0);
  const file = path.join(folder, run.json[0].setPath, artifact);
  const bytes = fs.readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  fs.writeFileSync(file, bytes);
  return { setId: run.json[0].setId, file };
}

describe('a flipped byte', () => {
  it('makes verify exit 3 naming the file', async () => {
    const { setId } = await backupAndFlip('data.dump.zst');
    const v = await runCli(home, ['verify', setId]);
    expect(v.code).toBe(3);
    expect(v.stdout).toMatch(/copy on disk: MISMATCH — data\.dump\.zst: SHA-256 differs \(expected [0-9a-f]{64}, found [0-9a-f]{64}\)/);
    const r = await runCli(home, ['restore', setId, '--as', 'lims_copy']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`unable to restore set '${setId} (lims)': copy on 'disk': data.dump.zst: SHA-256 differs`);
    expect(r.stderr).toContain('--override-integrity');
    const dbs = await pg.query<{ n: string }>('postgres', "SELECT count(*)::text AS n FROM pg_database WHERE datname = 'lims_copy'");
    expect(dbs[0]!.n).toBe('0');
  });

  it('lets an explicit override with a reason through, and records the reason', async () => {
    const { setId } = await backupAndFlip('globals.sql.zst');
    const reason = 'only copy left after the NAS fire; globals not needed (ticket 4711)';
    const r = await runCli(home, ['--json', 'restore', setId, '--as', 'lims_override', '--override-integrity', reason]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.overridden).toBe(true);
    const [count] = await pg.query<{ n: string }>('lims_override', 'SELECT count(*)::text AS n FROM samples');
    expect(count!.n).toBe('5000');
    const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT override_reason, status FROM restores WHERE id = ?').get(r.json.restoreId) as { override_reason: string; status: string };
      expect(row).toEqual({ override_reason: reason, status: 'succeeded' });
      const audit = db.prepare("SELECT reason, object FROM audit_events WHERE action = 'restore.integrity-override'").all() as { reason: string; object: string }[];
      expect(audit).toEqual([{ reason, object: setId }]);
      const failedL1 = db.prepare("SELECT count(*) AS n FROM verifications WHERE set_id = ? AND level = 1 AND result = 'failed'").get(setId) as { n: number };
      expect(failedL1.n).toBeGreaterThan(0);
      // Runs and verifications are in the audit trail too: two backups, and the failed verify naming the file.
      const runs = db.prepare("SELECT action, outcome, reason FROM audit_events WHERE action IN ('run.backup', 'run.verify') ORDER BY seq").all() as { action: string; outcome: string; reason: string | null }[];
      expect(runs.filter((r) => r.action === 'run.backup').map((r) => r.outcome)).toEqual(['success', 'success']);
      expect(runs.find((r) => r.action === 'run.verify')).toMatchObject({ outcome: 'failure', reason: expect.stringContaining('data.dump.zst: SHA-256 differs') });
    } finally {
      db.close();
    }
  });
});

describe('an empty database', () => {
  // A database just created for an application that has not started yet: its archive lists no entries of its
  // own, only the encoding and search path, and is still a whole backup of it.
  it('is backed up, passes the engine check, and restores', async () => {
    await pg.createDatabase('staging');
    await runCli(home, ['job', 'add', 'empty', '--source', 'pg', '--database', 'staging', '--target', 'disk']);
    const run = await runCli(home, ['--json', 'job', 'run', 'empty']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json[0].status).toBe('succeeded');
    const v = await runCli(home, ['--json', 'verify', run.json[0].setId]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const r = await runCli(home, ['--json', 'restore', run.json[0].setId, '--as', 'staging_copy']);
    expect(r.code, r.stderr).toBe(0);
    const dbs = await pg.query<{ n: string }>('postgres', "SELECT count(*)::text AS n FROM pg_database WHERE datname = 'staging_copy'");
    expect(dbs[0]!.n).toBe('1');
  });
});
