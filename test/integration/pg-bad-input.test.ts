import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { filesUnder, oldPgTools } from '../support/pg-tool-wrappers.ts';
import { freePort } from '../support/free-port.ts';

// Acceptance (issue 2): bad input gives a clear message and the right exit code, records a failed run
// where a run began, and leaves nothing behind.
let pg: PgServer;
let home: string;
const mounts: string[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  await pg.createDatabase('mes');
  await pg.query('mes', 'CREATE TABLE orders AS SELECT g AS id, repeat(md5(g::text), 8) AS payload FROM generate_series(1, 30000) g');
  await runCli(home, ['source', 'add', 'good', '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--password-env', 'PW'], { env: { PW: pg.password } });
});
afterAll(async () => {
  for (const m of mounts) { try { execFileSync('umount', [m]); } catch { /* gone */ } }
  await pg?.stop();
  cleanupTemp();
});

let n = 0;
/** A job named after the case, on its own target folder; returns the run's JSON result and the folder. */
async function runCase(opts: { source?: string; database?: string; folder?: string }): Promise<{ code: number; result: any; folder: string; stderr: string }> {
  const name = `case${++n}`;
  const folder = opts.folder ?? tempDir();
  expect((await runCli(home, ['target', 'add', name, '--kind', 'local', '--path', folder])).code).toBe(0);
  expect((await runCli(home, ['job', 'add', name, '--source', opts.source ?? 'good', '--database', opts.database ?? 'mes', '--target', name])).code).toBe(0);
  const r = await runCli(home, ['--json', 'job', 'run', name]);
  const runs = await runCli(home, ['--json', 'runs', 'list', '--job', name]);
  expect(runs.json).toHaveLength(1);
  expect(runs.json[0].status).toBe('failed');
  expect(runs.json[0].errorMessage).toBe(r.json[0].error.message);
  return { code: r.code, result: r.json[0], folder, stderr: r.stderr };
}

function noSetLeft(folder: string): void {
  expect(filesUnder(folder).filter((f) => f !== 'lifeboat/REPO.json')).toEqual([]);
}

async function addSource(name: string, port: number, password: string, extra: string[] = []): Promise<void> {
  const r = await runCli(home, ['source', 'add', name, '--kind', 'postgres', '--host', '127.0.0.1', '--port', String(port), '--user', 'postgres', '--password-env', 'PW', ...extra], { env: { PW: password } });
  expect(r.code, r.stderr).toBe(0);
}

describe('bad input on backup', () => {
  it('unreachable host', async () => {
    await addSource('down', await freePort(), 'x');
    const c = await runCase({ source: 'down' });
    expect(c.code).toBe(1);
    expect(c.result.error.code).toBe('SOURCE_UNREACHABLE');
    expect(c.result.error.message).toMatch(/^unable to back up database 'mes on 127\.0\.0\.1:\d+': connect ECONNREFUSED/);
    noSetLeft(c.folder);
  });

  it('wrong password, without echoing it', async () => {
    await addSource('badpw', pg.port, 'not-the-password-42');
    const c = await runCase({ source: 'badpw' });
    expect(c.result.error.code).toBe('SOURCE_AUTH_FAILED');
    expect(c.result.error.message).toContain('password authentication failed for user "postgres"');
    expect(JSON.stringify(c.result) + c.stderr).not.toContain('not-the-password-42');
    noSetLeft(c.folder);
  });

  it('missing database', async () => {
    const c = await runCase({ database: 'no_such_db' });
    expect(c.result.error.code).toBe('DATABASE_MISSING');
    expect(c.result.error.message).toContain('database "no_such_db" does not exist');
    noSetLeft(c.folder);
  });

  it('pg_dump missing from the configured tools folder', async () => {
    await addSource('notools', pg.port, pg.password, ['--tools-dir', tempDir()]);
    const c = await runCase({ source: 'notools' });
    expect(c.result.error.code).toBe('TOOL_MISSING');
    expect(c.result.error.message).toContain('need PostgreSQL 15 or newer client tools');
    expect(c.result.error.hint).toContain('toolsDir');
    noSetLeft(c.folder);
  });

  it('pg_dump older than the server', async () => {
    await addSource('oldtools', pg.port, pg.password, ['--tools-dir', oldPgTools(tempDir(), '9.6.24')]);
    const c = await runCase({ source: 'oldtools' });
    expect(c.result.error.code).toBe('TOOL_TOO_OLD');
    expect(c.result.error.message).toMatch(/the server is PostgreSQL 15, found only .*pg_dump 9\.6\.24; pg_dump must be version 15 or newer/);
    noSetLeft(c.folder);
  });

  it('target folder missing: nothing is created in its place', async () => {
    const missing = path.join(tempDir(), 'usb-not-mounted');
    const c = await runCase({ folder: missing });
    expect(c.result.error.code).toBe('TARGET_MISSING');
    expect(c.result.error.message).toContain(missing);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('target folder not writable (a read-only file system)', async () => {
    const ro = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]);
    mounts.push(ro);
    const c = await runCase({ folder: ro });
    expect(c.result.error.code).toBe('TARGET_NOT_WRITABLE');
    expect(c.result.error.message).toContain('read-only');
    expect(filesUnder(ro)).toEqual([]);
  });

  it('target full (a small file system): no partial file survives', async () => {
    const small = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]);
    mounts.push(small);
    const c = await runCase({ folder: small });
    expect(c.result.error.code).toBe('TARGET_FULL');
    expect(c.result.error.message).toContain('no space left');
    noSetLeft(small);
  });
});

describe('malformed arguments exit 2 with a message naming what was wrong', () => {
  it.each([
    [['job', 'add', 'x', '--database', 'mes', '--target', 't'], /required option '--source <source>' not specified/],
    [['restore', '--database', 'mes', '--at', 'yesterday-ish'], /'yesterday-ish' is not a date and time/],
    [['job', 'add', 'y', '--source', 'good', '--database', 'mes', '--target', 'case1', '--compression-level', '40'], /--compression-level.*must be 1 to 19/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['source', 'add', 'z', '--kind', 'oracle'], /source kind 'oracle'.*known kinds: postgres/],
    [['source', 'add', 'z', '--kind', 'postgres', '--port', '99999', '--host', 'h', '--user', 'u'], /port: /],
  ])('%j', async (args, message) => {
    const r = await runCli(home, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
