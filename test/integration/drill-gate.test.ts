import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, addPgSource } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// Acceptance 5 (issue 7): a corrupted copy on one target and a good copy on another. A restore asked to read
// the bad copy refuses it and offers the good one; with no good copy it refuses unless overridden with a
// reason, which is recorded. Drills go through the same gate and never override it.
let pg: PgServer;
let home: string;
let nas: string;
let usb: string;
let setId: string;
let setPath: string;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  nas = tempDir();
  usb = tempDir();
  await pg.createDatabase('lims');
  await pg.query('lims', "CREATE TABLE samples AS SELECT g AS id, 'sample ' || g AS label FROM generate_series(1, 4000) g");
  await addPgSource(home, pg);
  await runCli(home, ['target', 'add', 'nas', '--kind', 'local', '--path', nas]);
  await runCli(home, ['target', 'add', 'usb', '--kind', 'local', '--path', usb]);
  await runCli(home, ['job', 'add', 'daily', '--source', 'pg', '--database', 'lims', '--target', 'nas', '--target', 'usb']);
  const run = await runCli(home, ['--json', 'job', 'run', 'daily']);
  expect(run.code, run.stderr).toBe(0);
  setId = run.json[0].setId;
  setPath = run.json[0].setPath;
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

function flipByte(root: string, artifact: string): void {
  const file = path.join(root, setPath, artifact);
  const bytes = fs.readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x10;
  fs.writeFileSync(file, bytes);
}

async function databases(pattern: string): Promise<string[]> {
  return (await pg.query<{ datname: string }>('postgres', 'SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [pattern])).map((r) => r.datname);
}

describe('the integrity gate with a bad copy and a good copy', () => {
  it('refuses the corrupted copy when asked to read it and offers the good one', async () => {
    flipByte(nas, 'data.dump.zst');
    const r = await runCli(home, ['--json', 'restore', setId, '--as', 'lims_from_nas', '--from-target', 'nas']);
    expect(r.code).toBe(3);
    expect(r.json.error.code).toBe('INTEGRITY_GATE');
    expect(r.json.error.message).toMatch(/^unable to restore from copy 'nas': data\.dump\.zst: SHA-256 differs/);
    expect(r.json.error.hint).toBe("the copy on 'usb' passed its check: restore from that target instead");
    expect(await databases('lims_from_nas')).toEqual([]);

    const offered = await runCli(home, ['--json', 'restore', setId, '--as', 'lims_from_usb', '--from-target', 'usb']);
    expect(offered.code, offered.stderr).toBe(0);
    expect(offered.json).toMatchObject({ copyTarget: 'usb', overridden: false });
    expect((await pg.query<{ n: string }>('lims_from_usb', 'SELECT count(*)::text AS n FROM samples'))[0]!.n).toBe('4000');
  });

  it('lets a drill read the good copy, and records the bad copy\'s failed check', async () => {
    const d = await runCli(home, ['--json', 'drill', 'run', setId]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.json.checks[0].detail).toContain("from the copy on 'usb'");
    const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
    try {
      const rows = db.prepare("SELECT t.name AS target, v.result FROM verifications v JOIN copies c ON c.id = v.copy_id JOIN targets t ON t.id = c.target_id WHERE v.run_id IN (SELECT run_id FROM restores WHERE destination = ?) AND v.level = 1 ORDER BY t.name").all(d.json.scratchName);
      expect(rows).toEqual([{ target: 'nas', result: 'failed' }, { target: 'usb', result: 'passed' }]);
      const l3 = db.prepare('SELECT c.target_id AS t, v.result FROM verifications v JOIN copies c ON c.id = v.copy_id WHERE v.id = ?').get(d.json.verificationId) as { t: string; result: string };
      expect(l3.result).toBe('passed');
      expect((db.prepare('SELECT name FROM targets WHERE id = ?').get(l3.t) as { name: string }).name).toBe('usb');
    } finally {
      db.close();
    }
  });

  it('with no good copy: refuses the restore and the drill, and lets an override with a reason through, recorded', async () => {
    flipByte(usb, 'globals.sql.zst');
    const refused = await runCli(home, ['--json', 'restore', setId, '--as', 'lims_refused']);
    expect(refused.code).toBe(3);
    expect(refused.json.error.code).toBe('INTEGRITY_GATE');
    expect(refused.json.error.message).toContain("copy on 'nas': data.dump.zst: SHA-256 differs");
    expect(refused.json.error.message).toContain("copy on 'usb': globals.sql.zst: SHA-256 differs");
    expect(refused.json.error.hint).toContain('--override-integrity');
    expect(await databases('lims_refused')).toEqual([]);

    const drill = await runCli(home, ['--json', 'drill', 'run', setId]);
    expect(drill.code).toBe(3);
    expect(drill.json).toMatchObject({ status: 'failed', restoreMs: null, scratchDropped: true, error: { code: 'INTEGRITY_GATE' } });
    expect(await databases('lifeboat_drill_%')).toEqual([]);

    const reason = 'both copies damaged; data dump on the USB disk is intact, globals not needed (CAPA-2291)';
    const over = await runCli(home, ['--json', 'restore', setId, '--as', 'lims_override', '--from-target', 'usb', '--override-integrity', reason]);
    expect(over.code, over.stderr).toBe(0);
    expect(over.json).toMatchObject({ overridden: true, copyTarget: 'usb' });
    expect((await pg.query<{ n: string }>('lims_override', 'SELECT count(*)::text AS n FROM samples'))[0]!.n).toBe('4000');
    const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT override_reason, status FROM restores WHERE id = ?').get(over.json.restoreId)).toEqual({ override_reason: reason, status: 'succeeded' });
      const audit = db.prepare("SELECT reason, object, outcome FROM audit_events WHERE action = 'restore.integrity-override'").all();
      expect(audit).toEqual([{ reason, object: setId, outcome: 'success' }]);
    } finally {
      db.close();
    }
  });
});
