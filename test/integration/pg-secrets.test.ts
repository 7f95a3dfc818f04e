import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { wrapPgTools } from '../support/pg-tool-wrappers.ts';

// Acceptance (issue 2): the database password and the encryption passphrase never appear in the catalog
// in plaintext, in logs, in CLI output, or in any child process's arguments.
let pg: PgServer;
let home: string;
let argvLog: string;
const PASSPHRASE = 'Passphrase-that-must-never-leak-9137';
const outputs: CliResult[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  home = tempDir();
  const tools = tempDir();
  argvLog = path.join(tools, 'argv.log');
  wrapPgTools(path.join(tools, 'bin'), pg.binDir, { argvLog });
  await pg.createDatabase('ehr');
  await pg.query('ehr', 'CREATE TABLE patients AS SELECT g AS id FROM generate_series(1, 100) g');
  const folder = tempDir();
  const env = { PW: pg.password, PP: PASSPHRASE };
  const run = async (args: string[]) => { const r = await runCli(home, args, { env }); outputs.push(r); return r; };
  await run(['source', 'add', 'pg', '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--tools-dir', path.join(tools, 'bin'), '--password-env', 'PW']);
  await run(['target', 'add', 'disk', '--kind', 'local', '--path', folder]);
  await run(['job', 'add', 'j', '--source', 'pg', '--database', 'ehr', '--target', 'disk', '--encrypt', 'passphrase', '--passphrase-env', 'PP', '--option', 'scryptLogN=12']);
  const backup = await run(['--json', 'job', 'run', 'j']);
  expect(backup.code, backup.stderr).toBe(0);
  await run(['--json', 'verify', backup.json[0].setId]);
  await run(['--json', 'restore', backup.json[0].setId, '--as', 'ehr_copy']);
  for (const cmd of [['source', 'list'], ['--json', 'source', 'list'], ['--json', 'job', 'list'], ['--json', 'sets', 'list'], ['--json', 'runs', 'list']]) await run(cmd);
  // A failing login must not echo the password it tried either.
  await run(['source', 'add', 'bad', '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--password-env', 'PP']);
  await run(['source', 'test', 'bad']);
});
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

function filesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

describe('secrets stay secret', () => {
  it('the scenario really ran the tools and produced output', () => {
    expect(fs.readFileSync(argvLog, 'utf8')).toMatch(/pg_dump --format=custom/);
    expect(fs.readFileSync(argvLog, 'utf8')).toMatch(/pg_restore /);
    expect(outputs.length).toBeGreaterThan(8);
  });

  it.each([['database password', () => pg.password], ['encryption passphrase', () => PASSPHRASE]])('the %s is in no child argv, catalog file, log or CLI output', (_what, secret) => {
    const s = secret();
    expect(fs.readFileSync(argvLog, 'utf8')).not.toContain(s);
    for (const f of filesBelow(home)) {
      expect(fs.readFileSync(f).includes(Buffer.from(s)), f).toBe(false);
    }
    for (const o of outputs) {
      expect(o.stdout + o.stderr).not.toContain(s);
    }
  });

  it('the catalog holds sealed secrets and the machine key is owner-only', () => {
    const mode = fs.statSync(path.join(home, 'machine.key')).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(fs.readFileSync(path.join(home, 'catalog.db')).includes(Buffer.from('lb1:'))).toBe(true);
  });
});
