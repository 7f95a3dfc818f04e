import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, addPgSource } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { filesUnder } from '../support/pg-tool-wrappers.ts';
import { away, back } from '../support/rotation-disk.ts';

// Acceptance (issue 3, point 4) through real runs: a rotation set of two disks (folders with markers,
// "unplugged" by moving them away from their mount path).
let pg: PgServer;
let home: string;
let d1: string;
let d2: string;

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  const root = tempDir();
  d1 = path.join(root, 'disk-monday');
  d2 = path.join(root, 'disk-tuesday');
  fs.mkdirSync(d1);
  fs.mkdirSync(d2);
  await pg.createDatabase('historian');
  await pg.query('historian', 'CREATE TABLE tags AS SELECT g AS id FROM generate_series(1, 500) g');
  await addPgSource(home, pg);
  expect((await runCli(home, ['target', 'add', 'offsite', '--kind', 'usb', '--option', 'set=offsite', '--option', `mounts=${d1},${d2}`])).code).toBe(0);
  expect((await runCli(home, ['target', 'init-disk', 'offsite', '--path', d1, '--label', 'Monday'])).code).toBe(0);
  expect((await runCli(home, ['target', 'init-disk', 'offsite', '--path', d2, '--label', 'Tuesday'])).code).toBe(0);
  await runCli(home, ['job', 'add', 'daily', '--source', 'pg', '--database', 'historian', '--target', 'offsite']);
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

const sets = (d: string) => filesUnder(d).filter((f) => f.endsWith('MANIFEST.json'));

describe('a USB rotation set in real runs', () => {
  it('writes to the disk that is present, follows the swap, and writes nowhere when none is', async () => {
    away(d2);
    const r1 = await runCli(home, ['--json', 'job', 'run', 'daily']);
    expect(r1.code, r1.stderr).toBe(0);
    back(d2);
    expect(sets(d1)).toHaveLength(1);
    expect(sets(d2)).toHaveLength(0);

    away(d1);
    const r2 = await runCli(home, ['--json', 'job', 'run', 'daily']);
    expect(r2.code, r2.stderr).toBe(0);
    back(d1);
    expect(sets(d1)).toHaveLength(1);
    expect(sets(d2)).toHaveLength(1);

    away(d1);
    away(d2);
    const r3 = await runCli(home, ['--json', 'job', 'run', 'daily']);
    expect(r3.code).toBe(1);
    expect(r3.json[0].error.code).toBe('MEDIA_ABSENT');
    expect(r3.json[0].error.message).toContain("no disk of set offsite present");
    // Nothing was created at the empty mount points (the system disk).
    expect(fs.existsSync(d1)).toBe(false);
    expect(fs.existsSync(d2)).toBe(false);
    back(d1);
    back(d2);
    expect(sets(d1)).toHaveLength(1);
    expect(sets(d2)).toHaveLength(1);

    // The media register knows which disk holds which set, and the copies name their disk.
    const media = await runCli(home, ['--json', 'media', 'list']);
    expect(media.code, media.stderr).toBe(0);
    const byLabel = Object.fromEntries(media.json.map((m: { label: string }) => [m.label, m]));
    expect(byLabel.Monday.lastWriteAt).toBeTruthy();
    expect(byLabel.Tuesday.lastWriteAt).toBeTruthy();
  });
});
