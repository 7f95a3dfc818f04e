import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src-main/cli/main.ts';
import { runCli } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

let home: string;
const env = { PW: 'first admin pw 1', PW2: 'viewer pw 12345', WRONG: 'not the password' };

/** The CLI in this process (the machine is shared; one child process per verb is slow), output captured. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: any }> {
  let stdout = '';
  let stderr = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { stdout += String(c); return true; });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => { stderr += String(c); return true; });
  const saved = { ...process.env };
  Object.assign(process.env, env);
  process.exitCode = undefined;
  let code: number;
  try {
    code = await main(['node', 'lifeboat', '--home', home, ...args]);
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = undefined;
    for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
  }
  let json: unknown;
  if (args.includes('--json')) { try { json = JSON.parse(stdout); } catch { /* not JSON */ } }
  return { code, stdout, stderr, json };
}

beforeAll(() => { home = tempDir('lifeboat-audit-cli-'); });
afterAll(() => cleanupTemp());

describe('lifeboat user', () => {
  it('creates the first admin, then needs an admin to add users', async () => {
    expect((await cli(['user', 'list'])).stdout).toContain('no users yet');
    const notAdmin = await cli(['user', 'add', 'alice', '--role', 'operator', '--password-env', 'PW']);
    expect(notAdmin.code).toBe(2);
    expect(notAdmin.stderr).toContain('the first user must be an admin');
    const first = await cli(['user', 'add', 'alice', '--role', 'admin', '--full-name', 'Alice Andersen', '--password-env', 'PW']);
    expect(first.code, first.stderr).toBe(0);
    const anon = await cli(['user', 'add', 'bob', '--role', 'viewer', '--password-env', 'PW2']);
    expect(anon.code).toBe(1);
    expect(anon.stderr).toContain('--as');
    const wrong = await cli(['user', 'add', 'bob', '--role', 'viewer', '--password-env', 'PW2', '--as', 'alice', '--as-password-env', 'WRONG']);
    expect(wrong.code).toBe(1);
    const ok = await cli(['--json', 'user', 'add', 'bob', '--role', 'viewer', '--password-env', 'PW2', '--as', 'alice', '--as-password-env', 'PW']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ name: 'bob', role: 'viewer' });
    const list = await cli(['--json', 'user', 'list']);
    expect(list.json.map((u: { name: string; role: string }) => `${u.name}:${u.role}`)).toEqual(['alice:admin', 'bob:viewer']);
    const events = (await cli(['--json', 'audit', 'list', '--limit', '100'])).json as { action: string; outcome: string }[];
    expect(events.filter((e) => e.action === 'auth.login').map((e) => e.outcome).sort()).toEqual(['failure', 'success']);
    expect(JSON.stringify(events)).not.toContain(env.PW);
    const sig = await cli(['--json', 'user', 'sign', '--as', 'alice', '--as-password-env', 'PW', '--action', 'restore.overwrite', '--object', 'plant-pg/mes', '--meaning', 'approved', '--reason', 'CHG-9']);
    expect(sig.code, sig.stderr).toBe(0);
    expect(sig.json).toMatchObject({ id: expect.stringMatching(/^sig_/), fullName: 'Alice Andersen', meaning: 'approved', object: 'plant-pg/mes', usedAt: null });
    const viewer = await cli(['user', 'sign', '--as', 'bob', '--as-password-env', 'PW2', '--action', 'restore.overwrite', '--object', 'plant-pg/mes', '--meaning', 'approved', '--reason', 'x']);
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain("the role 'viewer' may not sign");
  });
});

describe('lifeboat audit verify', () => {
  it('passes on an intact trail and exits 3 naming the first bad entry after a direct edit', async () => {
    const cp = await cli(['--json', 'audit', 'checkpoint']);
    expect(cp.code, cp.stderr).toBe(0);
    expect(cp.json.headSeq).toBeGreaterThan(3);
    const good = await cli(['audit', 'verify']);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('audit trail intact');

    const db = new Database(path.join(home, 'catalog.db'));
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3").run();
    db.close();
    const json = await cli(['--json', 'audit', 'verify']);
    expect(json.code).toBe(3);
    expect(json.json).toMatchObject({ ok: false, firstBadSeq: 3 });
    // And as a separate process, as an auditor would run it.
    const bad = await runCli(home, ['audit', 'verify'], { timeoutMs: 110_000 });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toContain('first bad entry 3');
    expect(bad.stderr).toContain('entry 3 was changed');
  }, 120_000);
});

describe('lifeboat report', () => {
  it('writes the audit report and the runbook and prints their SHA-256', async () => {
    const dir = tempDir('lifeboat-audit-cli-out-');
    expect((await cli(['report', 'classify', 'plant-pg/mes', '--class', 'GxP', '--tier', '1', '--reason', 'BIA'])).code).toBe(0);
    const a = await cli(['--json', 'report', 'audit', '--from', '2026-01-01', '--to', new Date(Date.now() + 60_000).toISOString(), '--out', `${dir}/`]);
    expect(a.code, a.stderr).toBe(0);
    expect(createHash('sha256').update(fs.readFileSync(a.json.pdf)).digest('hex')).toBe(a.json.sha256);
    // The trail was tampered with above: the report is still written, and says so.
    expect(a.json.auditTrailOk).toBe(false);
    expect(a.json.attachments.some((f: string) => f.endsWith('.json'))).toBe(true);
    const r = await cli(['--json', 'report', 'runbook', '--out', path.join(dir, 'runbook.pdf')]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'runbook.pdf'))).toBe(true);
    expect(r.json.databases).toEqual(['plant-pg/mes']);
    const bad = await cli(['report', 'audit', '--from', 'yesterday-ish', '--to', '2026-02-01', '--out', dir]);
    expect(bad.code).toBe(2);
  });
});
