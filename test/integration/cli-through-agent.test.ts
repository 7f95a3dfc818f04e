import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { CLI, runCli, type CliResult } from '../support/cli.ts';
import { spawnAgent, type AgentProcess } from '../support/agent-process.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// Issue 5: "the CLI uses the API when an agent runs, the core in-process otherwise", and the agent is the
// only writer of the catalog. With an agent running, every verb below is run in a mount namespace where
// <home>/catalog.db is replaced by a file that is not a database: had the CLI opened the catalog itself, it
// would fail. What the verbs did is then found in the agent's catalog, audited under the account the kernel
// says made the request ('cli:<account>'), and the agent's event stream saw the runs. Without an agent the same
// verbs work in-process under the same actor.

const PG_PW_ENV = 'LB_THRU_PG_PW';
const PASSPHRASE = 'a passphrase for the agent test';
let pg: PgServer;

beforeAll(async () => {
  pg = await startPostgres();
  await pg.createDatabase('lims');
  await pg.query('lims', "CREATE TABLE samples AS SELECT g AS id, 'sample ' || g AS label FROM generate_series(1, 500) g");
}, 120_000);
afterAll(async () => { await pg?.stop(); cleanupTemp(); });

const env = () => ({ [PG_PW_ENV]: pg.password, LB_PASSPHRASE: PASSPHRASE, LB_ADMIN_PW: 'admin password 42' });

/** The CLI as a user runs it, except that it sees `decoy` where the catalog file is (agent and CLI share nothing else). */
function runCliWithoutCatalog(home: string, decoy: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const script = 'mount --bind "$1" "$2" || exit 97; shift 2; exec "$@"';
    const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', decoy, path.join(home, 'catalog.db'),
      process.execPath, CLI, '--home', home, ...args], { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: unknown;
      if (args.includes('--json')) { try { json = JSON.parse(stdout); } catch { /* not JSON */ } }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}

type Cli = (args: string[]) => Promise<CliResult>;

/** The verbs of the issue, in the order an engineer sets up and proves a backup; returns what they printed. */
async function setUpBackUpAndRestore(cli: Cli, folder: string, restoredAs: string) {
  const ok = (r: CliResult) => { expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0); return r; };
  ok(await cli(['source', 'add', 'pg', '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--password-env', PG_PW_ENV]));
  ok(await cli(['target', 'add', 'nas', '--kind', 'local', '--path', folder]));
  ok(await cli(['job', 'add', 'daily', '--source', 'pg', '--database', 'lims', '--target', 'nas', '--encrypt', 'passphrase', '--passphrase-env', 'LB_PASSPHRASE', '--option', 'scryptLogN=12']));
  expect(ok(await cli(['--json', 'source', 'list'])).json).toEqual([expect.objectContaining({ name: 'pg', hasPassword: true })]);
  expect(ok(await cli(['--json', 'job', 'list'])).json).toEqual([expect.objectContaining({ name: 'daily', source: 'pg', targets: ['nas'] })]);
  const run = ok(await cli(['--json', 'job', 'run', 'daily']));
  expect(run.json).toEqual([expect.objectContaining({ database: 'lims', status: 'succeeded' })]);
  const setId = run.json[0].setId as string;
  const sets = ok(await cli(['--json', 'sets', 'list']));
  expect(sets.json).toEqual([expect.objectContaining({ id: setId, database: 'lims', copies: ['nas'], verified: 'passed' })]);
  const verify = ok(await cli(['--json', 'verify', setId, '--passphrase-env', 'LB_PASSPHRASE']));
  expect(verify.json.results).toEqual([expect.objectContaining({ setId, ok: true })]);
  const restore = ok(await cli(['--json', 'restore', setId, '--as', restoredAs, '--passphrase-env', 'LB_PASSPHRASE']));
  expect(restore.json).toMatchObject({ database: 'lims', destination: restoredAs, mode: 'new' });
  const [n] = await pg.query<{ n: string }>(restoredAs, 'SELECT count(*)::text AS n FROM samples');
  expect(n!.n).toBe('500');
  const shown = ok(await cli(['--json', 'runs', 'show', restore.json.runId]));
  expect(shown.json).toMatchObject({ id: restore.json.runId, kind: 'restore', status: 'succeeded', databaseName: 'lims' });
  return { setId, verifyRunId: verify.json.runId as string, restoreRunId: restore.json.runId as string };
}

/** The audit entries a home's catalog holds, read directly (after the writer is gone, or read-only). */
function auditOf(home: string): { actor: string; action: string; object: string | null }[] {
  const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
  try {
    return db.prepare('SELECT actor, action, object FROM audit_events ORDER BY seq').all() as { actor: string; action: string; object: string | null }[];
  } finally {
    db.close();
  }
}

describe('CLI verbs with an agent running', () => {
  let home: string;
  let decoy: string;
  let agent: AgentProcess;
  const events: { type: string; kind?: string; runId?: string }[] = [];

  beforeAll(async () => {
    home = tempDir('lifeboat-thru-agent-');
    decoy = path.join(tempDir(), 'not-a-catalog.db');
    fs.writeFileSync(decoy, 'this file stands where the catalog is: the CLI must not open it\n'.repeat(100));
    agent = await spawnAgent(home);
    agent.api.events.runs.subscribe({}, { onData: (e) => { events.push(e as { type: string; kind?: string; runId?: string }); } });
  }, 60_000);
  afterAll(async () => { await agent?.stop(); });

  it('source/target/job add, job run, sets list, verify, restore and runs show are executed by the agent', { timeout: 300_000 }, async () => {
    const cli: Cli = (args) => runCliWithoutCatalog(home, decoy, args);
    const { verifyRunId, restoreRunId } = await setUpBackUpAndRestore(cli, tempDir(), 'lims_via_agent');

    // The agent's catalog holds what the CLI asked for, written by the agent and audited under the account
    // that ran the CLI (the agent reads it from the kernel's socket table, not from the request).
    const me = `cli:${os.userInfo().username}`;
    const audit = await agent.api.audit.list.query({ limit: 500 });
    const by = (action: string) => audit.filter((e) => e.action === action).map((e) => `${e.actor} ${e.object}`);
    expect(by('source.add')).toEqual([`${me} pg`]);
    expect(by('target.add')).toEqual([`${me} nas`]);
    expect(by('job.add')).toEqual([`${me} daily`]);
    expect(by('restore.new')).toEqual([`${me} lims_via_agent`]);
    // The agent's event stream saw the backup, the verify and the restore start and finish.
    await expect.poll(() => events.filter((e) => e.type === 'run.finished').map((e) => e.kind)).toEqual(expect.arrayContaining(['backup', 'verify', 'restore']));
    expect(events.filter((e) => e.type === 'run.started').map((e) => e.runId)).toEqual(expect.arrayContaining([verifyRunId, restoreRunId]));
    // The password reached the agent over the loopback API and is stored sealed with machine.key.
    const source = await agent.api.sources.get.query({ source: 'pg' });
    expect(source.hasSecret).toBe(true);
    const stored = new Database(path.join(home, 'catalog.db'), { readonly: true });
    const secret = (stored.prepare('SELECT secret FROM sources WHERE name = ?').get('pg') as { secret: string }).secret;
    stored.close();
    expect(secret).not.toContain(pg.password);
  });

  it('a signed restore over the original goes through the agent: refused without the signature, done with it', { timeout: 300_000 }, async () => {
    const cli: Cli = (args) => runCliWithoutCatalog(home, decoy, args);
    const setId = (await cli(['--json', 'sets', 'list'])).json[0].id as string;
    const admin = await cli(['user', 'add', 'alice', '--role', 'admin', '--password-env', 'LB_ADMIN_PW']);
    expect(admin.code, admin.stderr).toBe(0);
    const unsigned = await cli(['restore', setId, '--overwrite', '--confirm', '--passphrase-env', 'LB_PASSPHRASE']);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain('electronic signature');
    const sig = await cli(['--json', 'user', 'sign', '--as', 'alice', '--as-password-env', 'LB_ADMIN_PW', '--action', 'restore.overwrite', '--object', 'pg/lims', '--meaning', 'approved', '--reason', 'CHG-5 restore drill']);
    expect(sig.code, sig.stderr).toBe(0);
    await pg.query('lims', 'DELETE FROM samples WHERE id > 100');
    const signed = await cli(['--json', 'restore', setId, '--overwrite', '--confirm', '--signature', sig.json.id, '--passphrase-env', 'LB_PASSPHRASE']);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.json).toMatchObject({ mode: 'overwrite', destination: 'lims' });
    const [n] = await pg.query<{ n: string }>('lims', 'SELECT count(*)::text AS n FROM samples');
    expect(n!.n).toBe('500');
    const uses = (await agent.api.audit.list.query({ action: 'esign.use', limit: 10 })).map((e) => e.outcome).sort();
    expect(uses).toEqual(['refused', 'success']);
  });

  it('a request from another OS account is audited under that account, whatever client it claims to be', { timeout: 60_000 }, async () => {
    const { url, token } = JSON.parse(fs.readFileSync(path.join(home, 'agent.json'), 'utf8')) as { url: string; token: string };
    // The token is the agent owner's secret; handed to 'nobody', it lets nobody call, and the audit says who did.
    const script = [
      'import json, sys, urllib.request',
      'req = urllib.request.Request(sys.argv[1] + "/targets.add", data=json.dumps({"name": "scratch", "kind": "local", "config": {"path": sys.argv[3]}}).encode(),',
      '  headers={"authorization": "Bearer " + sys.argv[2], "content-type": "application/json", "x-lifeboat-client": "cli"}, method="POST")',
      'print(urllib.request.urlopen(req).status)',
    ].join('\n');
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('runuser', ['-u', 'nobody', '--', '/usr/bin/python3', '-c', script, url, token, tempDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(r.code, r.out).toBe(0);
    const added = (await agent.api.audit.list.query({ action: 'target.add', limit: 10 })).filter((e) => e.object === 'scratch');
    expect(added.map((e) => e.actor)).toEqual(['cli:nobody']);
  });

  it('the decoy works: once the agent is gone, the same CLI fails instead of reaching the catalog', { timeout: 120_000 }, async () => {
    await agent.stop();
    const r = await runCliWithoutCatalog(home, decoy, ['--json', 'sets', 'list']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('CATALOG_CORRUPT');
    // The real catalog, for a CLI that sees it, is intact and lists the sets.
    const real = await runCli(home, ['--json', 'sets', 'list']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.json.length).toBeGreaterThanOrEqual(1);
  });
});

describe('the same CLI verbs without an agent', () => {
  it('work in-process, under the CLI user\'s actor', { timeout: 300_000 }, async () => {
    const home = tempDir('lifeboat-no-agent-');
    await setUpBackUpAndRestore((args) => runCli(home, args, { env: env() }), tempDir(), 'lims_in_process');
    expect(fs.existsSync(path.join(home, 'agent.json'))).toBe(false);
    const me = `cli:${os.userInfo().username}`;
    const audit = auditOf(home);
    for (const action of ['source.add', 'target.add', 'job.add', 'restore.new']) {
      expect(audit.filter((e) => e.action === action).map((e) => e.actor), action).toEqual([me]);
    }
  });
});
